// moz.platform.admin `remove_tenant` through the real execute runtime (real RS256 tokens): owners only,
// confirmed with the tenant id, and afterwards nothing of the tenant in any table while another
// tenant's items are untouched. The tables are memory tables the test reads whole.
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type ServiceName } from '#connectors/contracts/registry';
import { systemContext, type CallContext } from '#connectors/contracts/wire';
import { REMOVAL_ORDER } from '#functions/execute/plugins/tenant-removal';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createMemoryTable, memoryTableItems } from '#functions/shared/memory-table';
import type { Table } from '#functions/shared/table';
import { seedCommunity } from '#local/seed-community';
import { seedDiscovery } from '#local/seed-discovery';
import { seedGrowth } from '#local/seed-growth';
import { seedSocial } from '#local/seed-social';
import { createHarness } from '../support/execute-harness.ts';

const ADMIN = '/api/execute/moz.platform.admin';

async function setup() {
  const tables = Object.fromEntries(SERVICE_NAMES.map((name) => [name, createMemoryTable()])) as Record<ServiceName, Table>;
  const connectors = await createInProcessConnectors({
    table: (name) => tables[name],
    settings: { BILLING_DEFAULT_PLAN: 'enterprise', PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: 'http://localhost/checkout' },
  });
  // Every metered call is sent to Billing at once, so a removal that counted itself would leave a usage item behind.
  const { call, token } = createHarness(connectors, { meterFlushEvery: 1 });
  const as = (tenantId: string, sub: string, roles = ['member']) => ({ authorization: `Bearer ${token(tenantId, roles, sub)}` });
  const removeTenant = (headers: Record<string, string>, body: Record<string, unknown>) => call({ path: ADMIN, headers, body: { action: 'remove_tenant', ...body } });
  const appsOf = new Map<string, string[]>();
  /** Every item of every table that mentions the tenant or one of its apps anywhere (the search index names only the app). */
  const itemsOf = (tenantId: string) => {
    const marks = [tenantId, ...(appsOf.get(tenantId) ?? [])];
    return SERVICE_NAMES.flatMap((name) =>
      memoryTableItems(tables[name])
        .filter((item) => marks.some((mark) => JSON.stringify(item).includes(mark)))
        .map((item) => ({ name, item })),
    );
  };

  /** A tenant whose first user (the owner, through the runtime) has an app, a listing, posts, a conversation, a campaign, a custom role and a member. */
  async function seed(tenantId: string) {
    expect((await call({ path: ADMIN, headers: as(tenantId, 'boss', ['owner']), body: { action: 'get_user' } })).json.data.roles).toEqual(['owner']);
    const owner: CallContext = { tenantId, userId: 'boss', roles: ['owner'], correlationId: 'seed', displayName: 'Boss' };
    appsOf.set(tenantId, [(await connectors.hosting.createApp(owner, { name: 'Demo app', slug: 'demo' })).appId]);
    await connectors.billing.recordUsage(systemContext(tenantId, 'metering', 'seed'), { metric: 'api_calls', amount: 3 });
    for (const seedService of [seedDiscovery, seedSocial, seedCommunity, seedGrowth]) await seedService(connectors, owner);
    const [app] = appsOf.get(tenantId)!;
    await connectors.funding.createRound(owner, { appId: app!, name: 'Seed', targetCents: 100_000, minPledgeCents: 1_000, revenueShareBps: 500, capMultipleBps: 15_000 });
    for (const [sub, roles] of [['helper', ['admin']], ['member', ['member']], ['treasurer', ['member']]] as const) {
      await call({ path: ADMIN, headers: as(tenantId, sub, [...roles]), body: { action: 'get_user' } });
    }
    // An owner may hand manage:billing to a custom role: its holder is still no owner.
    const asOwner = as(tenantId, 'boss', ['owner']);
    expect((await call({ path: ADMIN, headers: asOwner, body: { action: 'upsert_role', name: 'finance', permissions: ['manage:billing', 'read:billing'] } })).status).toBe(200);
    expect((await call({ path: ADMIN, headers: asOwner, body: { action: 'update_user_roles', userId: 'treasurer', roles: ['finance'] } })).status).toBe(200);
  }

  return { call, as, removeTenant, itemsOf, seed };
}

describe('remove_tenant', () => {
  it('needs the tenant id as confirm (400 naming it) and the owner role (403), and deletes nothing otherwise', async () => {
    const { as, removeTenant, itemsOf, seed } = await setup();
    await seed('acme');
    const before = itemsOf('acme');
    expect(before.length).toBeGreaterThan(50);

    for (const body of [{}, { confirm: 'other-tenant' }, { confirm: 'ACME' }, { confirm: 42 }]) {
      const refused = await removeTenant(as('acme', 'boss', ['owner']), body);
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('VALIDATION_FAILED');
      expect(refused.json.error.details.issues[0].field).toBe('confirm');
    }
    // A member and an admin lack manage:billing; a custom role that holds it is still not an owner.
    for (const sub of ['member', 'helper', 'treasurer']) {
      const refused = await removeTenant(as('acme', sub), { confirm: 'acme' });
      expect(refused.status, sub).toBe(403);
      expect(refused.json.error.code).toBe('FORBIDDEN');
    }
    expect((await removeTenant(as('acme', 'treasurer'), { confirm: 'acme' })).json.error.message).toMatch(/owners/);
    expect(itemsOf('acme')).toEqual(before);
  });

  it("deletes everything of the owner's tenant in every service, reports it per service, and touches no other tenant", async () => {
    const { call, as, removeTenant, itemsOf, seed } = await setup();
    await seed('acme');
    await seed('globex');
    // A paid subscription first: removing the records would not stop the provider's charges.
    const owner = as('acme', 'boss', ['owner']);
    const urls = { successUrl: 'https://a.example.com/ok', cancelUrl: 'https://a.example.com/no' };
    const checkout = await call({ path: ADMIN, headers: owner, body: { action: 'create_checkout', plan: 'premium', ...urls } });
    expect((await call({ path: ADMIN, headers: owner, body: { action: 'complete_checkout', sessionId: checkout.json.data.sessionId } })).status).toBe(200);
    const before = itemsOf('acme');
    const refused = await removeTenant(as('acme', 'boss', ['owner']), { confirm: 'acme' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/^Cancel the tenant's \w+ subscription first/);
    expect(itemsOf('acme')).toEqual(before);
    const canceled = await call({ path: ADMIN, headers: as('acme', 'boss', ['owner']), body: { action: 'cancel_subscription' } });
    expect(canceled.status, JSON.stringify(canceled.json)).toBe(200);

    const removedCount = itemsOf('acme').length;
    const others = itemsOf('globex');

    const removed = await removeTenant(as('acme', 'boss', ['owner']), { confirm: 'acme' });
    expect(removed.status).toBe(200);
    expect(removed.json.data.done).toBe(true);
    expect(Object.keys(removed.json.data.removed)).toEqual([...REMOVAL_ORDER]);
    for (const name of SERVICE_NAMES) expect(removed.json.data.removed[name], name).toBeGreaterThan(0);
    const total = Object.values(removed.json.data.removed as Record<string, number>).reduce((sum, n) => sum + n, 0);
    expect(total).toBe(removedCount);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(itemsOf('acme')).toEqual([]);
    expect(itemsOf('globex')).toEqual(others);

    // Unmetered (no usage item comes back), and this container forgot the tenant: the same token is
    // a user seen for the first time again, the first (and so owning) user of an empty tenant.
    const again = await call({ path: ADMIN, headers: as('acme', 'boss', ['owner']), body: { action: 'list_users' } });
    expect(again.json.data.items.map((user: { userId: string }) => user.userId)).toEqual(['boss']);
    expect((await call({ path: '/api/execute/moz.platform.hosting', headers: as('acme', 'boss', ['owner']), body: { action: 'list_apps' } })).json.data.items).toEqual([]);
    // Calling it again removes what those two calls made: the new user with its owner count, and their usage counter.
    const second = await removeTenant(as('acme', 'boss', ['owner']), { confirm: 'acme' });
    expect(second.json.data).toEqual({ removed: { ...Object.fromEntries(REMOVAL_ORDER.map((name) => [name, 0])), billing: 1, identity: 2 }, done: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(itemsOf('acme')).toEqual([]);
  });

  it('is offered to owners only', async () => {
    const { call, as, seed } = await setup();
    await seed('acme');
    const actions = async (sub: string, roles?: string[]) =>
      ((await call({ path: '/api/plugins', headers: as('acme', sub, roles) })).json.data.plugins as { name: string; actions: { name: string }[] }[])
        .find((plugin) => plugin.name === 'moz.platform.admin')!
        .actions.map((action) => action.name);
    expect(await actions('boss', ['owner'])).toContain('remove_tenant');
    expect(await actions('helper')).not.toContain('remove_tenant');
  });
});
