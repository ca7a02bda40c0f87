// The attacks of the security review (issue 6), each replayed through the real execute handler with
// real RS256 tokens and the real service operations (mock connectors: in-memory stores).
import { describe, expect, it } from 'vitest';
import { createInProcessConnectors } from '#functions/services/in-process';
import { AUDIENCE, createHarness } from '../support/execute-harness.ts';

const ADMIN = '/api/execute/moz.platform.admin';
const HOSTING = '/api/execute/moz.platform.hosting';
let tenants = 0;
const freshTenant = () => `sec-${Date.now().toString(36)}-${tenants++}`;

async function platform(defaultPlan: 'free' | 'enterprise' = 'enterprise') {
  const connectors = await createInProcessConnectors({ settings: { BILLING_DEFAULT_PLAN: defaultPlan, PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: 'http://localhost/checkout' } });
  const harness = createHarness(connectors);
  const as = (token: string) => ({
    admin: (body: Record<string, unknown>) => harness.call({ path: ADMIN, body, headers: { authorization: `Bearer ${token}` } }),
    hosting: (body: Record<string, unknown>) => harness.call({ path: HOSTING, body, headers: { authorization: `Bearer ${token}` } }),
  });
  const user = (tenantId: string, sub: string, roles: string[] = []) => as(harness.token(tenantId, roles, sub));
  return { harness, connectors, as, user };
}

describe('item 1: nobody grants rights they were not given', () => {
  it('refuses an admin that defines or assigns a role carrying manage:billing, itself included', async () => {
    const { user } = await platform();
    const tenant = freshTenant();
    const owner = user(tenant, 'owner-1');
    expect((await owner.admin({ action: 'get_user' })).json.data.roles).toContain('owner');
    const admin = user(tenant, 'admin-1', ['admin']);
    expect((await admin.admin({ action: 'get_user' })).json.data.roles).toEqual(['admin']);

    const define = await admin.admin({ action: 'upsert_role', name: 'payer', permissions: ['manage:billing', 'read:*'] });
    expect(define.status).toBe(403);
    expect(define.json.error.message).toContain('manage:billing');

    // The owner may define it; the admin still may not hand it to anyone, itself included.
    expect((await owner.admin({ action: 'upsert_role', name: 'payer', permissions: ['manage:billing', 'read:*'] })).status).toBe(200);
    const self = await admin.admin({ action: 'update_user_roles', userId: 'admin-1', roles: ['admin', 'payer'] });
    expect(self.status).toBe(403);
    const member = user(tenant, 'member-1');
    await member.admin({ action: 'get_user' });
    expect((await admin.admin({ action: 'update_user_roles', userId: 'member-1', roles: ['payer'] })).status).toBe(403);

    // Nothing changed: the admin still cannot buy or cancel.
    const checkout = await admin.admin({ action: 'create_checkout', plan: 'starter', successUrl: 'https://a.example/ok', cancelUrl: 'https://a.example/no' });
    expect(checkout.status).toBe(403);
    expect((await admin.admin({ action: 'cancel_subscription' })).status).toBe(403);
    expect((await owner.admin({ action: 'get_user', userId: 'admin-1' })).json.data.roles).toEqual(['admin']);
  });

  it('lets an admin grant what it holds, and leaves rights the target already has alone', async () => {
    const { user } = await platform();
    const tenant = freshTenant();
    const owner = user(tenant, 'owner-1');
    await owner.admin({ action: 'get_user' });
    const admin = user(tenant, 'admin-1', ['admin']);
    await admin.admin({ action: 'get_user' });
    await user(tenant, 'member-1').admin({ action: 'get_user' });

    expect((await admin.admin({ action: 'upsert_role', name: 'deployer', permissions: ['manage:hosting', 'read:*'] })).status).toBe(200);
    expect((await admin.admin({ action: 'update_user_roles', userId: 'member-1', roles: ['member', 'deployer'] })).status).toBe(200);
    // The owner gives the member billing; the admin may still change the member's other roles without removing it.
    await owner.admin({ action: 'upsert_role', name: 'payer', permissions: ['manage:billing'] });
    expect((await owner.admin({ action: 'update_user_roles', userId: 'member-1', roles: ['member', 'payer'] })).status).toBe(200);
    expect((await admin.admin({ action: 'update_user_roles', userId: 'member-1', roles: ['member', 'payer', 'deployer'] })).status).toBe(200);
    // Owner changes stay owner-only.
    expect((await admin.admin({ action: 'update_user_roles', userId: 'member-1', roles: ['owner'] })).status).toBe(403);
  });
});

describe('item 2: tokens need a valid sub and an exp', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const base = () => ({ aud: AUDIENCE, tenantId: freshTenant(), roles: ['owner'], iat: now(), exp: now() + 600 });

  it.each([
    ['no sub', (c: Record<string, unknown>) => c],
    ['an empty sub', (c: Record<string, unknown>) => ({ ...c, sub: '' })],
    ['a 2,000-character sub', (c: Record<string, unknown>) => ({ ...c, sub: 'x'.repeat(2000) })],
    ['a sub with a control character', (c: Record<string, unknown>) => ({ ...c, sub: 'a\u0000b' })],
    ['a numeric sub', (c: Record<string, unknown>) => ({ ...c, sub: 42 })],
    ['no exp', (c: Record<string, unknown>) => ({ ...c, sub: 'u1', exp: undefined })],
    ["the platform's own system principal as sub", (c: Record<string, unknown>) => ({ ...c, sub: 'system:remove-tenant' })],
    ["an app key's principal as sub", (c: Record<string, unknown>) => ({ ...c, sub: 'APP:key-1' })],
  ])('refuses a token with %s (401, no internal message)', async (_, shape) => {
    const { harness } = await platform();
    const token = harness.issuer.signClaims(shape(base()));
    const res = await harness.call({ path: HOSTING, body: { action: 'list_apps' }, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.json)).not.toMatch(/service request|context\./);
  });

  it('accepts a well-formed token', async () => {
    const { harness } = await platform();
    const token = harness.issuer.signClaims({ ...base(), sub: 'auth0|5f7c8ec7c33c6c004bbafe82' });
    const res = await harness.call({ path: HOSTING, body: { action: 'list_apps' }, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});

describe('item 3: a token never fails because of its roles', () => {
  it('ignores unknown and long role names, keeping the known ones', async () => {
    const { user } = await platform();
    const tenant = freshTenant();
    await user(tenant, 'owner-1').admin({ action: 'get_user' });
    const long = 'g'.repeat(61);
    const res = await user(tenant, 'u2', ['admin', long, 'constructor', '__proto__', 'app']).admin({ action: 'get_user' });
    expect(res.status).toBe(200);
    expect(res.json.data.roles).toEqual(['admin']);
    const member = await user(tenant, 'u3', [long]).admin({ action: 'get_user' });
    expect(member.json.data.roles).toEqual(['member']);
  });
});

describe('item 4: Billing app scope is the caller tenant’s apps only', () => {
  it('answers 404 for another tenant’s app or an unknown one, in every action that takes an appId', async () => {
    const { user } = await platform();
    const a = user(freshTenant(), 'alice');
    const b = user(freshTenant(), 'bob');
    const appOfA = (await a.hosting({ action: 'create_app', name: 'A', slug: 'a-app' })).json.data.appId as string;
    const appOfB = (await b.hosting({ action: 'create_app', name: 'B', slug: 'b-app' })).json.data.appId as string;
    const urls = { successUrl: 'https://b.example/ok', cancelUrl: 'https://b.example/no' };
    for (const appId of [appOfA, 'app_doesnotexist']) {
      expect((await b.admin({ action: 'create_checkout', plan: 'starter', scope: 'app', appId, ...urls })).status).toBe(404);
      expect((await b.admin({ action: 'get_subscription', scope: 'app', appId })).status).toBe(404);
      expect((await b.admin({ action: 'cancel_subscription', scope: 'app', appId })).status).toBe(404);
    }
    expect((await b.admin({ action: 'get_subscription', scope: 'app', appId: appOfB })).status).toBe(200);
    expect((await b.admin({ action: 'create_checkout', plan: 'starter', scope: 'app', appId: appOfB, ...urls })).status).toBe(200);
  });
});

describe('item 5: client-named keys are just names', () => {
  it('treats a custom role named constructor as an ordinary role', async () => {
    const { user } = await platform();
    const tenant = freshTenant();
    const owner = user(tenant, 'owner-1');
    await owner.admin({ action: 'get_user' });
    const holder = user(tenant, 'holder');
    await holder.admin({ action: 'get_user' });
    expect((await owner.admin({ action: 'upsert_role', name: 'constructor', permissions: ['read:*'] })).status).toBe(200);
    expect((await owner.admin({ action: 'update_user_roles', userId: 'holder', roles: ['constructor'] })).status).toBe(200);
    expect((await holder.hosting({ action: 'list_apps' })).status).toBe(200);
    const check = await owner.admin({ action: 'check_permissions', userId: 'holder', permissions: ['read:hosting', 'manage:hosting'] });
    expect(check.json.data.results).toEqual({ 'read:hosting': true, 'manage:hosting': false });
    for (const name of ['tostring', 'valueof', 'hasownproperty']) {
      expect((await owner.admin({ action: 'update_user_roles', userId: 'holder', roles: [name] })).status).toBe(400);
    }
    expect((await owner.admin({ action: 'list_users', role: 'constructor' })).status).toBe(200);
  });

  it.each(['constructor', '__proto__', 'toString'])('answers 400 for a plan, feature or metric named %s', async (name) => {
    const { user } = await platform();
    const owner = user(freshTenant(), 'owner-1');
    const urls = { successUrl: 'https://a.example/ok', cancelUrl: 'https://a.example/no' };
    expect((await owner.admin({ action: 'create_checkout', plan: name, ...urls })).status).toBe(400);
    expect((await owner.admin({ action: 'get_usage', period: name })).status).toBe(400);
    expect((await owner.admin({ action: 'check_permissions', permissions: [name] })).status).toBe(400);
  });
});

describe('item 7: URL fields take https (http only to localhost)', () => {
  const hostile = ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'http://evil.example/x', 'ftp://x.example/'];

  it.each(hostile)('refuses %s as a checkout URL, naming the field', async (url) => {
    const { user } = await platform();
    const owner = user(freshTenant(), 'owner-1');
    const res = await owner.admin({ action: 'create_checkout', plan: 'starter', successUrl: url, cancelUrl: 'https://a.example/no' });
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues[0].field).toBe('successUrl');
  });

  it('refuses a javascript: deployment url from the build system, and takes https and loopback http', async () => {
    const { user, harness } = await platform();
    const tenant = freshTenant();
    const owner = user(tenant, 'owner-1');
    const appId = (await owner.hosting({ action: 'create_app', name: 'A', slug: 'a-app' })).json.data.appId;
    const deploymentId = (await owner.hosting({ action: 'deploy', appId })).json.data.deploymentId;
    const key = (await owner.admin({ action: 'create_app_key', name: 'ci' })).json.data.secret;
    const report = (url: string) =>
      harness.call({ path: HOSTING, body: { action: 'report_deployment_status', appId, deploymentId, status: 'running', url }, headers: { 'x-mozaiks-app-key': key } });
    for (const url of hostile) {
      const res = await report(url);
      expect(res.status).toBe(400);
      expect(res.json.error.details.issues[0].field).toBe('url');
    }
    expect((await report('http://localhost:8080/preview')).status).toBe(200);
    expect((await report('https://preview.example.com/')).status).toBe(200);
    const urls = { successUrl: 'http://127.0.0.1:3000/ok', cancelUrl: 'https://a.example/no' };
    expect((await owner.admin({ action: 'create_checkout', plan: 'starter', ...urls })).status).toBe(200);
  });
});

describe('item 10: a tenant over its quota can still see its usage and upgrade', () => {
  it('never refuses nor counts get_usage, get_subscription, create/complete_checkout and list_invoices', async () => {
    const { user, connectors, harness } = await platform('free');
    const tenant = freshTenant();
    const ctx = { tenantId: tenant, userId: 'test', roles: [], correlationId: 'c' };
    await connectors.billing.recordUsage(ctx, { metric: 'api_calls', amount: 10_000 });
    const owner = user(tenant, 'owner-1');

    expect((await owner.hosting({ action: 'list_apps' })).status).toBe(429);
    expect((await owner.admin({ action: 'get_usage' })).status).toBe(200);
    expect((await owner.admin({ action: 'get_subscription' })).status).toBe(200);
    expect((await owner.admin({ action: 'list_invoices' })).status).toBe(200);
    const checkout = await owner.admin({ action: 'create_checkout', plan: 'starter', successUrl: 'https://a.example/ok', cancelUrl: 'https://a.example/no' });
    expect(checkout.status).toBe(200);
    expect((await owner.admin({ action: 'complete_checkout', sessionId: checkout.json.data.sessionId })).status).toBe(200);
    // None of them was counted (the 429 was not either); the upgrade lifts the quota.
    expect(harness.handler.meter.countedSince(tenant, 0)).toBe(0);
    expect((await owner.hosting({ action: 'list_apps' })).status).toBe(200);
  });
});

describe('item 11: error answers stay small', () => {
  it('caps the listed issues and the message for a body with 80,000 unknown keys', async () => {
    const { user } = await platform();
    const owner = user(freshTenant(), 'owner-1');
    const body: Record<string, unknown> = { action: 'list_apps' };
    for (let i = 0; i < 80_000; i++) body[`k${i}`] = 1;
    const res = await owner.hosting(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json).length).toBeLessThan(10_000);
    expect(res.json.error.details.issues.length).toBeLessThanOrEqual(20);
    expect(res.json.error.details.issueCount).toBeGreaterThanOrEqual(1);
  });

  it('caps many field issues at 20 and says how many there were', async () => {
    const { user } = await platform();
    const owner = user(freshTenant(), 'owner-1');
    const res = await owner.admin({ action: 'check_permissions', permissions: Array.from({ length: 50 }, (_, i) => `nope:${i}`) });
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues).toHaveLength(20);
    expect(res.json.error.details.issueCount).toBe(50);
    expect(res.json.error.message).toContain('and 47 more');
  });
});
