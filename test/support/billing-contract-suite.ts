// The Billing contract, written once and run over both tables (test/contract/billing.test.ts).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectorBundle } from '#connectors/loader';
import { PLANS, type PlanTier } from '#connectors/contracts/plans';
import { PlatformError, type CallContext } from '#connectors/contracts/wire';
import { localPayments, type PaymentProvider } from '#functions/services/billing/payments';
import { codeOf, tenantContext } from './contract-kit.ts';

/** Builds a Billing connector that pays through `payments` and reads the time from `now`. */
export type MakeBillingConnector = (deps: { payments: PaymentProvider; now: () => Date }) => Promise<ConnectorBundle['billing']>;

export const CHECKOUT_PAGE = 'https://platform.example.com/billing/checkout';
const DAY_MS = 86_400_000;
const returnUrls = { successUrl: 'https://app.example.com/billing/done', cancelUrl: 'https://app.example.com/billing' };

export function describeBillingContract(name: string, make: MakeBillingConnector): void {
  // The suite's clock: the real time unless a test pins it (usage months) or moves it (expiry, period end).
  let pinned: Date | undefined;
  const declined = new Set<string>();
  const payments: PaymentProvider = {
    checkoutUrl: localPayments(CHECKOUT_PAGE).checkoutUrl,
    confirmPayment: async (session) => !declined.has(session.sessionId),
  };
  let billing: ConnectorBundle['billing'];
  beforeAll(async () => {
    billing = await make({ payments, now: () => pinned ?? new Date() });
  });
  const messageOf = (promise: Promise<unknown>) => promise.then(() => 'OK', (error: PlatformError) => `${error.code}: ${error.message}`);

  async function buy(ctx: CallContext, plan: Exclude<PlanTier, 'free'>, app?: string) {
    const scope = app === undefined ? ({ scope: 'platform' } as const) : ({ scope: 'app', appId: app } as const);
    const { sessionId } = await billing.createCheckout(ctx, { ...scope, plan, ...returnUrls });
    return billing.completeCheckout(ctx, { sessionId });
  }

  describe(`Billing connector contract: ${name}`, () => {
    afterEach(() => {
      pinned = undefined;
    });

    it('puts a tenant without a subscription on the default plan, for the platform and for an app', async () => {
      const ctx = tenantContext();
      const free = { plan: 'free', status: 'active', effectivePlan: 'free', cancelAtPeriodEnd: false };
      expect(await billing.getSubscription(ctx, {})).toEqual({ scope: 'platform', ...free });
      expect(await billing.getSubscription(ctx, { scope: 'app', appId: 'app_1' })).toEqual({ scope: 'app', appId: 'app_1', ...free });
    });

    it('names appId when an app scope lacks it, or a platform scope carries one', async () => {
      const ctx = tenantContext();
      expect(await messageOf(billing.getSubscription(ctx, { scope: 'app' }))).toMatch(/^VALIDATION_FAILED: appId/);
      expect(await messageOf(billing.createCheckout(ctx, { scope: 'app', plan: 'starter', ...returnUrls }))).toMatch(/^VALIDATION_FAILED: appId/);
      expect(await messageOf(billing.cancelSubscription(ctx, { scope: 'app' }))).toMatch(/^VALIDATION_FAILED: appId/);
      expect(await messageOf(billing.getSubscription(ctx, { scope: 'platform', appId: 'app_1' }))).toMatch(/^VALIDATION_FAILED: appId/);
    });

    it("reports the effective plan's entitlements with this calendar month's api_calls", async () => {
      const ctx = tenantContext();
      pinned = new Date('2031-05-15T12:00:00Z');
      await billing.recordUsage(ctx, { metric: 'api_calls', amount: 3 });
      expect(await billing.getEntitlements(ctx, {})).toEqual({
        plan: 'free',
        features: [],
        limits: PLANS.free.limits,
        usage: { api_calls: 3 },
        periodStart: '2031-05-01T00:00:00.000Z',
        periodEnd: '2031-06-01T00:00:00.000Z',
      });
    });

    it('meters usage per calendar month (UTC), with limit and percentage, and sums all time', async () => {
      const ctx = tenantContext();
      pinned = new Date('2031-05-15T12:00:00Z');
      expect(await billing.recordUsage(ctx, { metric: 'api_calls', amount: 2500 })).toEqual({ metric: 'api_calls', used: 2500 });
      expect((await billing.recordUsage(ctx, { metric: 'api_calls', amount: 1 })).used).toBe(2501);
      expect((await billing.recordUsage(ctx, { metric: 'api_calls', amount: 40, at: '2031-04-30T23:59:59.999Z' })).used).toBe(40);
      expect((await billing.recordUsage(ctx, { metric: 'api_calls', amount: 4, at: '2031-05-01T00:00:00Z' })).used).toBe(2505);

      expect(await billing.getUsage(ctx, {})).toEqual({
        periodStart: '2031-05-01T00:00:00.000Z',
        periodEnd: '2031-06-01T00:00:00.000Z',
        metrics: { api_calls: { used: 2505, limit: 10_000, percentage: 25.05 } },
      });
      expect(await billing.getUsage(ctx, { period: 'last_month' })).toEqual({
        periodStart: '2031-04-01T00:00:00.000Z',
        periodEnd: '2031-05-01T00:00:00.000Z',
        metrics: { api_calls: { used: 40, limit: 10_000, percentage: 0.4 } },
      });
      expect(await billing.getUsage(ctx, { period: 'all_time' })).toEqual({ metrics: { api_calls: { used: 2545, limit: null, percentage: null } } });
    });

    it('never loses a count under 20 concurrent records', async () => {
      const ctx = tenantContext();
      const results = await Promise.all(Array.from({ length: 20 }, () => billing.recordUsage(ctx, { metric: 'api_calls', amount: 1 })));
      expect(results.map((r) => r.used).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await billing.getUsage(ctx, {})).metrics.api_calls!.used).toBe(20);
    });

    it('records usage fire-and-forget without waiting for the count', async () => {
      const ctx = tenantContext();
      await expect(billing.emit('recordUsage', ctx, { metric: 'api_calls', amount: 5 })).resolves.toBeUndefined();
      await billing.emit('recordUsage', ctx, { metric: 'api_calls', amount: 2 });
      await vi.waitFor(async () => expect((await billing.getUsage(ctx, {})).metrics.api_calls!.used).toBe(7));
      // An invalid record is dropped, never thrown at the caller.
      await expect(billing.emit('recordUsage', ctx, { metric: 'api_calls', amount: 0 })).resolves.toBeUndefined();
    });

    it('refuses an invalid usage record naming the field', async () => {
      const ctx = tenantContext();
      expect(await messageOf(billing.recordUsage(ctx, { metric: 'api_calls', amount: 0 }))).toMatch(/^VALIDATION_FAILED: .*amount/);
      expect(await messageOf(billing.recordUsage(ctx, { metric: 'api_calls', amount: 1, at: 'yesterday' }))).toMatch(/^VALIDATION_FAILED: at:/);
      expect(await messageOf(billing.recordUsage(ctx, { metric: 'api_calls', amount: 1, at: '+020000-01-01T00:00:00Z' }))).toMatch(/^VALIDATION_FAILED: at:/);
      expect(await codeOf(billing.recordUsage(ctx, { metric: 'storage' as 'api_calls', amount: 1 }))).toBe('VALIDATION_FAILED');
      expect((await billing.getUsage(ctx, { period: 'all_time' })).metrics.api_calls!.used).toBe(0);
    });

    it('checks feature flags and limits against the effective plan', async () => {
      const ctx = tenantContext();
      expect(await billing.checkFeature(ctx, { feature: 'custom_domains' })).toEqual({
        feature: 'custom_domains',
        allowed: false,
        limit: null,
        usage: null,
        reason: 'Your plan "free" does not include custom_domains',
      });
      expect(await billing.checkFeature(ctx, { feature: 'apps' })).toEqual({ feature: 'apps', allowed: true, limit: 1, usage: null });
      expect(await billing.checkFeature(ctx, { feature: 'domains' })).toMatchObject({ allowed: false, limit: 0, usage: null });
      expect(await billing.checkFeature(ctx, { feature: 'api_calls' })).toEqual({ feature: 'api_calls', allowed: true, limit: 10_000, usage: 0 });

      await billing.recordUsage(ctx, { metric: 'api_calls', amount: 10_000 });
      const over = await billing.checkFeature(ctx, { feature: 'api_calls' });
      expect(over).toMatchObject({ allowed: false, limit: 10_000, usage: 10_000 });
      expect(over.reason).toContain('free');

      const { results } = await billing.checkFeatures(ctx, { features: ['custom_domains', 'api_calls', 'team_members'] });
      expect(Object.keys(results).sort()).toEqual(['api_calls', 'custom_domains', 'team_members']);
      expect(results.team_members).toEqual({ feature: 'team_members', allowed: true, limit: 3, usage: null });
      expect(results.api_calls!.allowed).toBe(false);
      expect(await codeOf(billing.checkFeature(ctx, { feature: 'teleport' as 'apps' }))).toBe('VALIDATION_FAILED');
    });

    it('sells a plan through checkout: session, confirmation, subscription, invoice', async () => {
      const ctx = tenantContext();
      const { checkoutUrl, sessionId } = await billing.createCheckout(ctx, { plan: 'starter', ...returnUrls });
      expect(sessionId).toMatch(/^cs_[0-9a-f]{32}$/);
      expect(checkoutUrl).toBe(`${CHECKOUT_PAGE}?tenant=${ctx.tenantId}&session=${sessionId}`);
      expect((await billing.getSubscription(ctx, {})).plan).toBe('free');

      const { subscription, invoice } = await billing.completeCheckout(ctx, { sessionId });
      expect(subscription).toMatchObject({ scope: 'platform', plan: 'starter', status: 'active', effectivePlan: 'starter', cancelAtPeriodEnd: false });
      const period = Date.parse(subscription.currentPeriodEnd!) - Date.parse(subscription.currentPeriodStart!);
      expect(period).toBeGreaterThanOrEqual(28 * DAY_MS);
      expect(period).toBeLessThanOrEqual(31 * DAY_MS);
      expect(invoice).toMatchObject({ status: 'paid', amountCents: 1_900, currency: 'usd', plan: 'starter' });

      expect(await billing.getSubscription(ctx, {})).toEqual(subscription);
      const entitlements = await billing.getEntitlements(ctx, {});
      expect(entitlements).toMatchObject({ plan: 'starter', features: ['custom_domains'], limits: PLANS.starter.limits });
      expect((await billing.checkFeature(ctx, { feature: 'custom_domains' })).allowed).toBe(true);
      expect(await billing.listInvoices(ctx, {})).toEqual({ items: [invoice] });

      expect(await messageOf(billing.createCheckout(ctx, { plan: 'starter', ...returnUrls }))).toMatch(/^CONFLICT: .*starter/);
      expect((await billing.createCheckout(ctx, { plan: 'premium', ...returnUrls })).sessionId).toMatch(/^cs_/);
    });

    it('completes a session once: concurrent and repeated confirmations answer the same invoice', async () => {
      const ctx = tenantContext();
      const { sessionId } = await billing.createCheckout(ctx, { plan: 'business', ...returnUrls });
      const answers = await Promise.all(Array.from({ length: 5 }, () => billing.completeCheckout(ctx, { sessionId })));
      expect(new Set(answers.map((a) => a.invoice.id)).size).toBe(1);
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect((await billing.listInvoices(ctx, {})).items).toEqual([answers[0]!.invoice]);
      expect(await billing.completeCheckout(ctx, { sessionId })).toEqual(answers[0]);
    });

    it('refuses an unconfirmed payment and leaves the plan alone', async () => {
      const ctx = tenantContext();
      const { sessionId } = await billing.createCheckout(ctx, { plan: 'premium', ...returnUrls });
      declined.add(sessionId);
      try {
        expect(await messageOf(billing.completeCheckout(ctx, { sessionId }))).toMatch(/^CONFLICT: .*payment not confirmed/);
        expect((await billing.getSubscription(ctx, {})).effectivePlan).toBe('free');
        expect((await billing.listInvoices(ctx, {})).items).toEqual([]);
      } finally {
        declined.delete(sessionId);
      }
      // Once the provider has the money, the same session completes.
      expect((await billing.completeCheckout(ctx, { sessionId })).subscription.plan).toBe('premium');
    });

    it('refuses a session completed after it expired (24 hours)', async () => {
      const ctx = tenantContext();
      const { sessionId } = await billing.createCheckout(ctx, { plan: 'premium', ...returnUrls });
      pinned = new Date(Date.now() + 24 * 3_600_000 + 1_000);
      expect(await messageOf(billing.completeCheckout(ctx, { sessionId }))).toMatch(/^CONFLICT: .*expired/);
      expect((await billing.getSubscription(ctx, {})).plan).toBe('free');
      expect((await billing.listInvoices(ctx, {})).items).toEqual([]);
    });

    it("answers NOT_FOUND for another tenant's session and keeps usage and invoices apart", async () => {
      const owner = tenantContext();
      const other = tenantContext();
      const { sessionId } = await billing.createCheckout(owner, { plan: 'starter', ...returnUrls });
      expect(await codeOf(billing.completeCheckout(other, { sessionId }))).toBe('NOT_FOUND');
      expect(await codeOf(billing.completeCheckout(owner, { sessionId: 'cs_unknown' }))).toBe('NOT_FOUND');
      expect((await billing.getSubscription(other, {})).plan).toBe('free');

      await billing.completeCheckout(owner, { sessionId });
      await billing.recordUsage(owner, { metric: 'api_calls', amount: 7 });
      expect((await billing.listInvoices(other, {})).items).toEqual([]);
      expect((await billing.getUsage(other, {})).metrics.api_calls!.used).toBe(0);
      expect((await billing.getEntitlements(other, {})).plan).toBe('free');
      expect((await billing.getEntitlements(owner, {})).plan).toBe('starter');
    });

    it('cancels at the end of the paid period: access until then, free after', async () => {
      const ctx = tenantContext();
      expect(await messageOf(billing.cancelSubscription(ctx, {}))).toMatch(/^CONFLICT: .*no paid/);
      const { subscription } = await buy(ctx, 'premium');

      expect(await billing.cancelSubscription(ctx, { reason: 'too expensive' })).toEqual({ cancelAt: subscription.currentPeriodEnd });
      expect(await billing.getSubscription(ctx, {})).toMatchObject({ plan: 'premium', cancelAtPeriodEnd: true, effectivePlan: 'premium' });
      expect((await billing.getEntitlements(ctx, {})).plan).toBe('premium');
      expect(await billing.cancelSubscription(ctx, {})).toEqual({ cancelAt: subscription.currentPeriodEnd });

      pinned = new Date(Date.parse(subscription.currentPeriodEnd!) + 1_000);
      expect((await billing.getSubscription(ctx, {})).effectivePlan).toBe('free');
      expect((await billing.getEntitlements(ctx, {})).plan).toBe('free');
      expect((await billing.checkFeature(ctx, { feature: 'growth_campaigns' })).allowed).toBe(false);
      expect(await codeOf(billing.cancelSubscription(ctx, {}))).toBe('CONFLICT');
      // Lapsed to free, the tenant may buy the same plan again.
      expect((await buy(ctx, 'premium')).subscription).toMatchObject({ effectivePlan: 'premium', cancelAtPeriodEnd: false });
    });

    it("keeps an app's own plan apart from the tenant's platform plan", async () => {
      const ctx = tenantContext();
      const { subscription, invoice } = await buy(ctx, 'premium', 'app_shop');
      expect(subscription).toMatchObject({ scope: 'app', appId: 'app_shop', plan: 'premium', effectivePlan: 'premium' });
      expect(await billing.getSubscription(ctx, { scope: 'app', appId: 'app_shop' })).toEqual(subscription);
      expect((await billing.getSubscription(ctx, { scope: 'app', appId: 'app_other' })).plan).toBe('free');
      expect((await billing.getSubscription(ctx, {})).plan).toBe('free');
      expect((await billing.getEntitlements(ctx, {})).plan).toBe('free');
      expect((await billing.listInvoices(ctx, {})).items).toEqual([invoice]);
      expect(await billing.cancelSubscription(ctx, { scope: 'app', appId: 'app_shop' })).toEqual({ cancelAt: subscription.currentPeriodEnd });
      expect(await codeOf(billing.cancelSubscription(ctx, {}))).toBe('CONFLICT');
    });

    it('lists invoices newest first, page by page with a cursor', async () => {
      const ctx = tenantContext();
      const ids: string[] = [];
      for (const plan of ['starter', 'premium', 'business'] as const) ids.push((await buy(ctx, plan)).invoice.id);
      const first = await billing.listInvoices(ctx, { limit: 2 });
      expect(first.items.map((i) => [i.id, i.plan])).toEqual([
        [ids[2], 'business'],
        [ids[1], 'premium'],
      ]);
      const second = await billing.listInvoices(ctx, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
      expect(second.nextCursor).toBeUndefined();
      expect((await billing.getSubscription(ctx, {})).plan).toBe('business');
    });
  });
}
