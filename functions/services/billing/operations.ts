// Billing's domain rules: subscriptions and what they unlock, usage metering, checkout, invoices.
// Which plan applies is decided by plan-rules.ts from the stored subscription and the clock; writes go
// through the store under conditions, so a concurrent change fails (CONFLICT) instead of silently winning.
import { randomBytes } from 'node:crypto';
import { METRICS, type BillingContract, type Invoice, type Subscription } from '#connectors/contracts/billing';
import { monthOf, PLANS, type PlanTier } from '#connectors/contracts/plans';
import { conflict, invalid, notFound, PlatformError, type CallContext } from '#connectors/contracts/wire';
import type { Logger } from '#functions/shared/logger';
import type { OperationsOf } from '#functions/shared/service-handler';
import { monthKey, newId, scopeRefOf, type Scope, type ScopeRef } from './keys.ts';
import type { PaymentProvider, PaymentReceipt } from './payments.ts';
import { addMonths, checkOf, effectivePlan, percentageOf } from './plan-rules.ts';
import { CHANGED_CONCURRENTLY, type BillingStore, type CheckoutSession, type InvoiceRecord, type SubscriptionRecord } from './store.ts';

export const CHECKOUT_TTL_HOURS = 24;
export const CURRENCY = 'usd';
export const CHECKOUT_EXPIRED = 'The checkout session expired; start a new checkout';

export interface BillingDeps {
  store: BillingStore;
  payments: PaymentProvider;
  now?: () => Date;
  /** The plan of a tenant (or app) that has no subscription item. @default 'free' */
  defaultPlan?: PlanTier;
  /** Notes failed payment provider calls and webhook events ignored for a reason worth an operator's look. @default none */
  logger?: Pick<Logger, 'warn' | 'error'>;
}

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const fieldError = (field: string, message: string) => invalid(`${field}: ${message}`, { issues: [{ field, message }] });

/** The subscription a request means; an app's own plan needs its appId, the platform plan takes none. */
function scopeRef(scope: Scope, appId: string | undefined): ScopeRef {
  if (scope === 'app') {
    if (appId === undefined) throw fieldError('appId', 'required when scope is "app"');
    return { scope, appId };
  }
  if (appId !== undefined) throw fieldError('appId', 'only allowed when scope is "app"');
  return { scope };
}

const toInvoice = ({ id, amountCents, currency, status, plan, createdAt }: InvoiceRecord): Invoice => ({ id, amountCents, currency, status, plan, createdAt });

function toSubscription(record: SubscriptionRecord, now: Date): Subscription {
  const { version: _version, updatedAt: _updatedAt, cancelReason: _reason, canceledAt: _canceledAt, providerSubscriptionId: _provider, ...subscription } = record;
  return { ...subscription, effectivePlan: effectivePlan(record, now) };
}

export function createBillingOperations({ store, payments, now = () => new Date(), defaultPlan = 'free', logger }: BillingDeps): OperationsOf<BillingContract> {
  /** A provider's own refusal (a PlatformError) passes; anything else is logged and answered as unavailable (503, retry). */
  async function viaProvider<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof PlatformError) throw error;
      logger?.error('payment provider call failed', { error: error as Error });
      throw new PlatformError('UPSTREAM_UNAVAILABLE', 'The payment provider is unavailable; try again');
    }
  }

  const defaultSubscription = (ref: ScopeRef): Subscription => ({
    ...ref,
    plan: defaultPlan,
    status: 'active',
    effectivePlan: defaultPlan,
    cancelAtPeriodEnd: false,
  });

  async function subscriptionOf(ctx: CallContext, ref: ScopeRef, at: Date): Promise<Subscription> {
    const record = await store.getSubscription(ctx.tenantId, ref);
    return record ? toSubscription(record, at) : defaultSubscription(ref);
  }

  /** The plan that governs the tenant's features, limits and quota: its platform plan, now. */
  async function platformPlan(ctx: CallContext, at: Date): Promise<PlanTier> {
    return (await subscriptionOf(ctx, { scope: 'platform' }, at)).effectivePlan;
  }
  const apiCallsIn = (ctx: CallContext, at: Date) => store.getUsage(ctx.tenantId, monthKey(at), 'api_calls');

  /** What a completed session produced: its invoice and the scope's subscription as stored now. */
  async function completedResult(ctx: CallContext, session: CheckoutSession) {
    const [invoice, subscription] = await Promise.all([
      session.invoiceId === undefined ? undefined : store.getInvoice(ctx.tenantId, session.invoiceId),
      store.getSubscription(ctx.tenantId, scopeRefOf(session)),
    ]);
    if (!invoice || !subscription) throw new Error(`completed checkout ${session.sessionId} lacks its invoice or subscription`);
    return { subscription: toSubscription(subscription, now()), invoice: toInvoice(invoice) };
  }

  /**
   * Completes an open session, once: the session `open -> completed`, the scope's subscription and the
   * invoice in one conditional write. A session already completed (a repeated or concurrent
   * confirmation, a webhook delivered again) answers what it produced and writes nothing.
   * `confirm` is asked only while the session is open; `paidAt` (default now) is when the payment was
   * made, which must be before the session expired.
   */
  async function complete(ctx: CallContext, sessionId: string, confirm: (session: CheckoutSession) => Promise<false | PaymentReceipt>, paidAt?: string) {
    const session = await store.getCheckout(ctx.tenantId, sessionId);
    if (!session) throw notFound('Checkout session');
    // A provider may confirm more than once: a completed session answers what it produced.
    if (session.status === 'completed') return { ...(await completedResult(ctx, session)), fresh: false };
    const at = now();
    const iso = at.toISOString();
    const paid = paidAt ?? iso;
    if (session.expiresAt <= paid) throw conflict(CHECKOUT_EXPIRED);
    const receipt = await confirm(session);
    if (receipt === false) throw conflict('Checkout session: payment not confirmed by the payment provider');

    const ref = scopeRefOf(session);
    const previous = await store.getSubscription(ctx.tenantId, ref);
    const invoice: InvoiceRecord = {
      id: newId('inv', at),
      amountCents: session.amountCents,
      currency: session.currency,
      status: 'paid',
      plan: session.plan,
      createdAt: iso,
      sessionId,
      ...ref,
    };
    const subscription: SubscriptionRecord = {
      ...ref,
      plan: session.plan,
      status: 'active',
      currentPeriodStart: iso,
      currentPeriodEnd: addMonths(at, 1).toISOString(),
      cancelAtPeriodEnd: false,
      ...(receipt.providerSubscriptionId !== undefined && { providerSubscriptionId: receipt.providerSubscriptionId }),
      version: (previous?.version ?? 0) + 1,
      updatedAt: iso,
    };
    const completed: CheckoutSession = { ...session, status: 'completed', invoiceId: invoice.id, completedAt: iso };
    if (await store.completeCheckout(ctx.tenantId, { session: completed, subscription, expectedVersion: previous?.version, invoice, at: paid })) {
      return { subscription: toSubscription(subscription, at), invoice: toInvoice(invoice), fresh: true };
    }
    // Lost a race: a concurrent completion won (answer as it did), the session expired meanwhile,
    // or the subscription changed under us (retryable).
    const current = await store.getCheckout(ctx.tenantId, sessionId);
    if (current?.status === 'completed') return { ...(await completedResult(ctx, current)), fresh: false };
    if (current && current.expiresAt <= paid) throw conflict(CHECKOUT_EXPIRED);
    throw conflict(CHANGED_CONCURRENTLY);
  }

  /** The provider's word on a session's payment (the user's `complete_checkout`). */
  async function confirmedByProvider(session: CheckoutSession): Promise<false | PaymentReceipt> {
    const answer = await viaProvider(() => payments.confirmPayment(session));
    return answer === true ? {} : answer;
  }

  return {
    async getSubscription(ctx, { scope, appId }) {
      return subscriptionOf(ctx, scopeRef(scope, appId), now());
    },

    async getEntitlements(ctx) {
      const at = now();
      const [plan, apiCalls] = await Promise.all([platformPlan(ctx, at), apiCallsIn(ctx, at)]);
      const { periodStart, periodEnd } = monthOf(at);
      return {
        plan,
        features: [...PLANS[plan].features],
        limits: { ...PLANS[plan].limits },
        usage: { api_calls: apiCalls },
        periodStart: periodStart.toISOString(),
        periodEnd: periodEnd.toISOString(),
      };
    },

    async checkFeature(ctx, { feature }) {
      const at = now();
      const [plan, apiCalls] = await Promise.all([platformPlan(ctx, at), feature === 'api_calls' ? apiCallsIn(ctx, at) : 0]);
      return checkOf(plan, feature, apiCalls);
    },

    async checkFeatures(ctx, { features }) {
      const at = now();
      const [plan, apiCalls] = await Promise.all([platformPlan(ctx, at), features.includes('api_calls') ? apiCallsIn(ctx, at) : 0]);
      return { results: Object.fromEntries(features.map((feature) => [feature, checkOf(plan, feature, apiCalls)])) };
    },

    async getUsage(ctx, { period }) {
      const at = now();
      if (period === 'all_time') {
        // Monthly limits say nothing about an all-time total: no limit, no percentage, no bounds.
        const totals = new Map<string, number>(METRICS.map((metric) => [metric, 0]));
        for (const { metric, used } of await store.listUsage(ctx.tenantId)) totals.set(metric, (totals.get(metric) ?? 0) + used);
        return { metrics: Object.fromEntries([...totals].map(([metric, used]) => [metric, { used, limit: null, percentage: null }])) };
      }
      const month = period === 'current' ? at : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
      const { periodStart, periodEnd } = monthOf(month);
      // Limits are those of the plan that applies now, also for last month.
      const plan = await platformPlan(ctx, at);
      const metrics = await Promise.all(
        METRICS.map(async (metric) => {
          const used = await store.getUsage(ctx.tenantId, monthKey(month), metric);
          const limit = PLANS[plan].limits[metric];
          return [metric, { used, limit, percentage: percentageOf(used, limit) }] as const;
        }),
      );
      return { periodStart: periodStart.toISOString(), periodEnd: periodEnd.toISOString(), metrics: Object.fromEntries(metrics) };
    },

    async recordUsage(ctx, { metric, amount, at }) {
      const when = at === undefined ? now() : new Date(at);
      // A time outside years 0000..9999 has no `yyyy-mm` month key.
      if (Number.isNaN(when.getTime()) || !/^\d{4}-\d{2}$/.test(monthKey(when))) {
        throw fieldError('at', 'must be an ISO 8601 time such as 2025-01-31T12:00:00Z');
      }
      return { metric, used: await store.addUsage(ctx.tenantId, monthKey(when), metric, amount) };
    },

    async createCheckout(ctx, { scope, appId, plan, successUrl, cancelUrl }) {
      const ref = scopeRef(scope, appId);
      const at = now();
      const current = await subscriptionOf(ctx, ref, at);
      if (current.effectivePlan === plan) throw conflict(`The ${scope} plan already is "${plan}"`, { field: 'plan' });
      const session: CheckoutSession = {
        sessionId: `cs_${randomBytes(16).toString('hex')}`,
        ...ref,
        plan,
        amountCents: PLANS[plan].priceCents,
        currency: CURRENCY,
        status: 'open',
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + CHECKOUT_TTL_HOURS * 3_600_000).toISOString(),
        successUrl,
        cancelUrl,
        createdBy: ctx.userId,
      };
      if ('openCheckout' in payments) {
        // The provider's checkout first: if it cannot be opened, nothing is stored. One opened but
        // not stored (a failed write) is never shown to anyone and expires unpaid at the provider.
        const opened = await viaProvider(() => payments.openCheckout({ tenantId: ctx.tenantId, session }));
        await store.createCheckout(ctx.tenantId, { ...session, providerSessionId: opened.providerSessionId });
        return { checkoutUrl: opened.url, sessionId: session.sessionId };
      }
      await store.createCheckout(ctx.tenantId, session);
      return { checkoutUrl: payments.checkoutUrl({ tenantId: ctx.tenantId, sessionId: session.sessionId }), sessionId: session.sessionId };
    },

    async completeCheckout(ctx, { sessionId }) {
      const { fresh: _fresh, ...result } = await complete(ctx, sessionId, confirmedByProvider);
      return result;
    },

    async cancelSubscription(ctx, { scope, appId, reason }) {
      const ref = scopeRef(scope, appId);
      const at = now();
      const record = await store.getSubscription(ctx.tenantId, ref);
      if (!record || effectivePlan(record, at) === 'free') throw conflict(`There is no paid ${scope} subscription to cancel`);
      // Access stays until the end of the paid period; without one, it ends now.
      const cancelAt = record.currentPeriodEnd ?? at.toISOString();
      if (record.cancelAtPeriodEnd || record.status === 'canceled') return { cancelAt };
      // The provider first: if it cannot stop the renewal, nothing changes here and the caller retries.
      const { providerSubscriptionId } = record;
      if (providerSubscriptionId !== undefined && payments.cancelAtPeriodEnd) {
        await viaProvider(() => payments.cancelAtPeriodEnd!(providerSubscriptionId));
      }
      const next: SubscriptionRecord = {
        ...record,
        cancelAtPeriodEnd: true,
        canceledAt: at.toISOString(),
        ...(reason !== undefined && { cancelReason: reason }),
        version: record.version + 1,
        updatedAt: at.toISOString(),
      };
      await store.updateSubscription(ctx.tenantId, ref, next, record.version);
      return { cancelAt };
    },

    async listInvoices(ctx, { limit, cursor }) {
      const page = await store.listInvoices(ctx.tenantId, { limit, cursor });
      return { items: page.items.map(toInvoice), nextCursor: page.nextCursor };
    },

    async receivePaymentEvent(ctx, { payload, signature }) {
      if (!payments.verifyEvent) throw notFound('Payment webhook (the payment provider sends none)');
      // Nothing is read or written before the signature holds; then the event names the tenant.
      const event = await payments.verifyEvent(payload, signature, now());
      const { eventId, type } = event;
      const ignore = (reason: string) => {
        logger?.warn('payment event ignored', { correlationId: ctx.correlationId, eventId, type, reason });
        return { eventId, type, outcome: 'ignored' as const };
      };
      if (event.kind === 'ignored') return { eventId, type, outcome: 'ignored' };
      if (!TENANT_ID.test(event.tenantId)) return ignore('the event names no valid tenant');
      const tenant: CallContext = { ...ctx, tenantId: event.tenantId };
      const session = await store.getCheckout(tenant.tenantId, event.sessionId);
      // Another stack sharing the Stripe account (a dev stage), or a session this one never stored.
      if (!session) return ignore('no such checkout session here');
      if (session.providerSessionId !== event.providerSessionId) return ignore("the provider's session is not the one this checkout opened");
      // The verified event is the provider's confirmation: no second question to it.
      const receipt: PaymentReceipt = event.providerSubscriptionId === undefined ? {} : { providerSubscriptionId: event.providerSubscriptionId };
      try {
        const { fresh } = await complete(tenant, session.sessionId, async () => receipt, event.paidAt);
        return { eventId, type, outcome: fresh ? 'completed' : 'already_completed' };
      } catch (error) {
        // Paid after the session expired: no redelivery can change that, so the operator has to act.
        if (!(error instanceof PlatformError && error.message === CHECKOUT_EXPIRED)) throw error;
        const where = { correlationId: ctx.correlationId, eventId, type, tenantId: tenant.tenantId, sessionId: session.sessionId };
        logger?.error('payment received for an expired checkout session: refund it or activate the plan by hand', where);
        return { eventId, type, outcome: 'ignored' as const };
      }
    },
  };
}
