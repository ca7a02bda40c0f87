import { describe, expect, it } from 'vitest';
import { createMockConnectors } from '#functions/services/in-process';
import { describeBillingContract } from '../support/billing-contract-suite.ts';
import { TABLE_KINDS, codeOf, connectorOn, tenantContext } from '../support/contract-kit.ts';

describe.each(TABLE_KINDS)('Billing over the %s table', (kind) => {
  describeBillingContract(kind, (adapters) => connectorOn('billing', kind, adapters));
});

describe('mock mode Billing', () => {
  const urls = { successUrl: 'https://a.example.com/ok', cancelUrl: 'https://a.example.com/no' };

  it('approves payments locally and points checkout at the local confirmation page', async () => {
    const { billing } = await createMockConnectors({ checkoutUrl: 'http://localhost:3000/billing/checkout' });
    const ctx = tenantContext();
    const { checkoutUrl, sessionId } = await billing.createCheckout(ctx, { plan: 'starter', ...urls });
    expect(checkoutUrl).toBe(`http://localhost:3000/billing/checkout?tenant=${ctx.tenantId}&session=${sessionId}`);
    expect((await billing.completeCheckout(ctx, { sessionId })).subscription.effectivePlan).toBe('starter');
  });

  it("puts every tenant on 'enterprise' (unlimited, everything)", async () => {
    const { billing } = await createMockConnectors();
    const ctx = tenantContext();
    expect(await billing.getEntitlements(ctx, {})).toMatchObject({
      plan: 'enterprise',
      limits: { apps: null, domains: null, team_members: null, api_calls: null },
    });
    await billing.recordUsage(ctx, { metric: 'api_calls', amount: 50_000 });
    expect((await billing.getUsage(ctx, {})).metrics.api_calls).toEqual({ used: 50_000, limit: null, percentage: null });
    expect(await billing.checkFeature(ctx, { feature: 'api_calls' })).toEqual({ feature: 'api_calls', allowed: true, limit: null, usage: 50_000 });
    expect(await codeOf(billing.createCheckout(ctx, { plan: 'enterprise', ...urls }))).toBe('CONFLICT');
  });
});
