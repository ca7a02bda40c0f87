// Demo data so a first look shows everything working: tenant "demo" with an owner, the `business`
// plan (bought through the real checkout path) and one app. Idempotent across restarts.
import type { ConnectorBundle } from '#connectors/loader';
import { PlatformError, type CallContext } from '#connectors/contracts/wire';
import { seedCommunity } from './seed-community.ts';
import { seedDiscovery } from './seed-discovery.ts';
import { seedFunding } from './seed-funding.ts';
import { seedGrowth } from './seed-growth.ts';
import { seedSocial } from './seed-social.ts';

export const DEMO_TENANT = 'demo';
export const DEMO_OWNER = 'demo-owner';

export async function seedDemoTenant(connectors: ConnectorBundle): Promise<void> {
  const { hosting, identity, billing } = connectors;
  const ctx: CallContext = { tenantId: DEMO_TENANT, userId: DEMO_OWNER, roles: ['owner'], correlationId: 'seed', displayName: 'Demo Owner' };
  await identity.resolveUser(ctx, { username: 'demo', email: 'demo@example.com', displayName: 'Demo Owner', tokenRoles: ['owner'] });
  if ((await billing.getSubscription(ctx, {})).effectivePlan !== 'business') {
    const { sessionId } = await billing.createCheckout(ctx, {
      plan: 'business',
      successUrl: 'http://localhost/billing/done',
      cancelUrl: 'http://localhost/billing/canceled',
    });
    await billing.completeCheckout(ctx, { sessionId });
  }
  try {
    await hosting.createApp(ctx, { name: 'Demo app', slug: 'demo', description: 'Seeded by npm start' });
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'CONFLICT')) throw error;
  }
  // Each service's demo data, so a new user sees every plugin working at once (each is idempotent).
  for (const seed of [seedDiscovery, seedSocial, seedCommunity, seedGrowth, seedFunding]) await seed(connectors, ctx);
}
