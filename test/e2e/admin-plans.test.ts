// Identity, Billing, authorization, plan gating, app keys and metering over HTTP against `npm start`
// (managed mode: the real services on DynamoDB Local). One `it` per promise of issue 3.
import { describe, expect, it } from 'vitest';
import { okData, usePlatform } from '../support/platform-process.ts';

const ADMIN = 'moz.platform.admin';
const HOSTING = 'moz.platform.hosting';

describe('admin, plans, app keys and metering over HTTP (managed)', () => {
  const platform = usePlatform();

  const as = async (tenantId: string, sub: string, roles: string[] = []) => ({ token: await platform.token(tenantId, roles, sub) });
  const ok = okData;
  /** Buys `plan` through the local payment provider's confirmation page. */
  async function upgrade(owner: { token: string }, tenantId: string, plan: string) {
    const checkout = await ok(
      platform.execute(owner, ADMIN, { action: 'create_checkout', plan, successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' }),
    );
    expect(checkout.checkoutUrl).toContain('/dev/checkout?');
    const page = await fetch(checkout.checkoutUrl);
    expect(await page.text()).toContain('Confirm payment');
    const confirm = await fetch(`${platform.url}/dev/checkout/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ tenant: tenantId, session: checkout.sessionId }).toString(),
    });
    expect(confirm.status).toBe(200);
    return { checkout, confirmation: (await confirm.json()) as { invoice: { id: string } } };
  }

  it('lets a tenant owner manage profile, users, roles, keys and the plan', async () => {
    const tenant = 'acme-admin';
    const owner = await as(tenant, 'alice', ['owner']);
    const me = await ok(platform.execute(owner, ADMIN, { action: 'get_user' }));
    expect(me).toMatchObject({ userId: 'alice', roles: ['owner'], status: 'active' });

    const bob = await as(tenant, 'bob', ['member']);
    await ok(platform.execute(bob, HOSTING, { action: 'list_apps' }));
    const users = await ok(platform.execute(owner, ADMIN, { action: 'list_users' }));
    expect(users.items.map((u: { userId: string }) => u.userId).sort()).toEqual(['alice', 'bob']);

    const promoted = await ok(platform.execute(owner, ADMIN, { action: 'update_user_roles', userId: 'bob', roles: ['admin'] }));
    expect(promoted.roles).toEqual(['admin']);
    // Bob's next call already sees his new roles (this container dropped its cached copy).
    expect((await platform.execute(bob, HOSTING, { action: 'create_app', name: 'Bob app', slug: 'bob-app' })).status).toBe(200);

    // A fresh tenant is on free: custom roles need business.
    const refused = await platform.execute(owner, ADMIN, { action: 'upsert_role', name: 'auditor', permissions: ['read:*'] });
    expect(refused.status).toBe(402);
    expect(await ok(platform.execute(owner, ADMIN, { action: 'get_subscription' }))).toMatchObject({ plan: 'free', effectivePlan: 'free' });

    const { confirmation } = await upgrade(owner, tenant, 'business');
    expect(await ok(platform.execute(owner, ADMIN, { action: 'get_subscription' }))).toMatchObject({ plan: 'business', status: 'active' });
    const invoices = await ok(platform.execute(owner, ADMIN, { action: 'list_invoices' }));
    expect(invoices.items).toEqual([expect.objectContaining({ id: confirmation.invoice.id, amountCents: 19_900, status: 'paid', plan: 'business' })]);

    const role = await ok(platform.execute(owner, ADMIN, { action: 'upsert_role', name: 'auditor', permissions: ['read:*'] }));
    expect(role.permissions).toContain('read:billing');
    await ok(platform.execute(owner, ADMIN, { action: 'update_user_roles', userId: 'bob', roles: ['auditor'] }));
    const checked = await ok(platform.execute(owner, ADMIN, { action: 'check_permissions', userId: 'bob', permissions: ['read:users', 'manage:hosting'] }));
    expect(checked.results).toEqual({ 'read:users': true, 'manage:hosting': false });

    const usage = await ok(platform.execute(owner, ADMIN, { action: 'get_usage' }));
    expect(usage.metrics.apps).toEqual({ used: 1, limit: 50, percentage: 2 });
    expect(usage.metrics.team_members.used).toBe(2);
    expect(usage.metrics.api_calls.limit).toBe(10_000_000);

    const key = await ok(platform.execute(owner, ADMIN, { action: 'create_app_key', name: 'ci runtime' }));
    expect(key.secret).toMatch(/^mzk\.acme-admin\./);
    const keys = await ok(platform.execute(owner, ADMIN, { action: 'list_app_keys' }));
    expect(JSON.stringify(keys)).not.toContain(key.secret);
    expect(keys.items[0]).toMatchObject({ keyId: key.keyId, name: 'ci runtime' });
    await ok(platform.execute(owner, ADMIN, { action: 'revoke_app_key', keyId: key.keyId }));

    const cancel = await ok(platform.execute(owner, ADMIN, { action: 'cancel_subscription', reason: 'testing' }));
    const subscription = await ok(platform.execute(owner, ADMIN, { action: 'get_subscription' }));
    expect(subscription).toMatchObject({ cancelAtPeriodEnd: true, effectivePlan: 'business', currentPeriodEnd: cancel.cancelAt });
  });

  it('answers 403 to a member without manage:roles and changes nothing', async () => {
    const tenant = 'acme-members';
    const owner = await as(tenant, 'olga', ['owner']);
    await ok(platform.execute(owner, ADMIN, { action: 'get_user' }));
    const member = await as(tenant, 'max', ['member']);
    await ok(platform.execute(member, ADMIN, { action: 'get_user' }));

    const res = await platform.execute(member, ADMIN, { action: 'update_user_roles', userId: 'max', roles: ['owner'] });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({ code: 'FORBIDDEN' });
    expect((await ok(platform.execute(owner, ADMIN, { action: 'get_user', userId: 'max' }))).roles).toEqual(['member']);
  });

  it('gates domains and the second app on free, and opens both after an upgrade', async () => {
    const tenant = 'acme-free';
    const owner = await as(tenant, 'fred', ['owner']);
    const first = await ok(platform.execute(owner, HOSTING, { action: 'create_app', name: 'One', slug: 'one' }));

    const domain = await platform.execute(owner, HOSTING, { action: 'add_domain', appId: first.appId, domain: 'one.acme-free.example' });
    expect(domain.status).toBe(402);
    expect(domain.json.error).toMatchObject({ code: 'FEATURE_NOT_IN_PLAN', details: { feature: 'custom_domains' } });
    const second = await platform.execute(owner, HOSTING, { action: 'create_app', name: 'Two', slug: 'two' });
    expect(second.status).toBe(402);
    expect(second.json.error.message).toContain('1 app');

    await upgrade(owner, tenant, 'starter');
    await ok(platform.execute(owner, HOSTING, { action: 'create_app', name: 'Two', slug: 'two' }));
    expect((await ok(platform.execute(owner, HOSTING, { action: 'add_domain', appId: first.appId, domain: 'one.acme-free.example' }))).status).toBe(
      'pending_verification',
    );
  });

  it("lets a tenant's managed runtime act with its app key, and refuses revoked or unknown keys", async () => {
    const tenant = 'acme-keys';
    const owner = await as(tenant, 'kate', ['owner']);
    const app = await ok(platform.execute(owner, HOSTING, { action: 'create_app', name: 'Keyed', slug: 'keyed' }));
    const dep = await ok(platform.execute(owner, HOSTING, { action: 'deploy', appId: app.appId }));
    const key = await ok(platform.execute(owner, ADMIN, { action: 'create_app_key', name: 'build system' }));

    const runtime = { appKey: key.secret as string };
    const report = await ok(
      platform.execute(runtime, HOSTING, { action: 'report_deployment_status', appId: app.appId, deploymentId: dep.deploymentId, status: 'running', stage: 'preview' }),
    );
    expect(report.status).toBe('running');
    expect((await platform.execute(runtime, HOSTING, { action: 'delete_app', appId: app.appId })).status).toBe(403);
    expect((await ok(platform.execute(owner, HOSTING, { action: 'get_app', appId: app.appId }))).status).toBe('preview');

    await ok(platform.execute(owner, ADMIN, { action: 'revoke_app_key', keyId: key.keyId }));
    expect((await platform.execute(runtime, HOSTING, { action: 'list_apps' })).status).toBe(401);
    const forged = `${key.secret.slice(0, -4)}AAAA`;
    expect((await platform.execute({ appKey: forged }, HOSTING, { action: 'list_apps' })).status).toBe(401);
    expect((await platform.execute({ appKey: 'mzk.nobody.key_x.abcdefghijklmnopqrstuvwxyz' }, HOSTING, { action: 'list_apps' })).status).toBe(401);
  });

  it('answers 429 with the limit and reset time once the month is used up, for that tenant only', async () => {
    const heavy = await as('acme-heavy', 'hank', ['owner']);
    const light = await as('acme-light', 'lina', ['owner']);
    await ok(platform.execute(heavy, HOSTING, { action: 'list_apps' }));
    expect((await platform.post('/dev/usage', { tenantId: 'acme-heavy', amount: 9_998 })).status).toBe(200);

    await ok(platform.execute(heavy, HOSTING, { action: 'list_apps' }));
    // The first call's count travels as a fire-and-forget event; if it lands after the plan's usage
    // snapshot was read, one more call gets through (README, "Metering: how far a burst can overshoot").
    let over = await platform.execute(heavy, HOSTING, { action: 'list_apps' });
    if (over.status === 200) over = await platform.execute(heavy, HOSTING, { action: 'list_apps' });
    expect(over.status).toBe(429);
    expect(over.json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { metric: 'api_calls', limit: 10_000 } });
    expect(Date.parse(over.json.error.details.resetAt)).toBe(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1));
    expect(over.json.error.message).toContain('10000');

    await ok(platform.execute(light, HOSTING, { action: 'list_apps' }));
  });
});
