// The Hosting path over HTTP against `npm start`, in both local modes, as a tenant's developer would.
import { describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform-process.ts';

const HOSTING = 'moz.platform.hosting';

for (const managed of [true, false]) {
  describe(`local platform over HTTP (${managed ? 'managed, DynamoDB Local' : 'mock connectors'})`, () => {
    const platform = usePlatform({ MOZAIKS_MANAGED: String(managed) });

    const as = async (tenantId: string, roles = ['admin'], sub = 'u1') => ({ token: await platform.token(tenantId, roles, sub) });

    it('answers list_apps for a fresh dev token with the documented envelope', async () => {
      const res = await platform.execute(await as('app-1'), HOSTING, { action: 'list_apps' });
      expect(res).toEqual({ status: 200, json: { ok: true, data: { items: [] }, correlationId: 'e2e-1' } });
    });

    it('seeds the demo tenant with an app', async () => {
      const res = await platform.execute(await as('demo', ['owner'], 'demo-owner'), HOSTING, { action: 'list_apps' });
      expect(res.json.data.items.map((a: { slug: string }) => a.slug)).toContain('demo');
    });

    it('creates, deploys and verifies a domain end to end', async () => {
      // The demo tenant is on business, a plan with custom domains, in both modes.
      const owner = await as('demo', ['owner'], 'demo-owner');
      const app = (await platform.execute(owner, HOSTING, { action: 'create_app', name: 'Shop', slug: `shop-${managed}` })).json.data;
      const dep = (await platform.execute(owner, HOSTING, { action: 'deploy', appId: app.appId })).json.data;
      const report = await platform.execute(owner, HOSTING, { action: 'report_deployment_status', appId: app.appId, deploymentId: dep.deploymentId, status: 'succeeded' });
      expect(report.json.data.status).toBe('succeeded');
      expect((await platform.execute(owner, HOSTING, { action: 'get_app', appId: app.appId })).json.data.status).toBe('live');

      const domain = (await platform.execute(owner, HOSTING, { action: 'add_domain', appId: app.appId, domain: `shop-${managed}.example.com` })).json.data;
      const dns = await platform.post('/dev/dns', { name: domain.verificationRecord.name, values: [domain.verificationRecord.value] });
      expect(dns.status).toBe(200);
      const verified = await platform.execute(owner, HOSTING, { action: 'verify_domain', appId: app.appId, domain: domain.domain });
      expect(verified.json.data).toMatchObject({ status: 'verified', tls: { status: 'active' } });
    });

    it('puts the demo tenant on business and a fresh tenant on free (402 for a paid feature), and derives permissions from roles', async () => {
      const demo = await platform.execute(await as('demo', ['owner'], 'demo-owner'), 'moz.platform.admin', { action: 'get_subscription' });
      expect(demo.json.data.effectivePlan).toBe('business');
      const owner = await as(`plan-${managed}`, ['owner'], 'p-owner');
      const subscription = await platform.execute(owner, 'moz.platform.admin', { action: 'get_subscription' });
      expect(subscription.json.data.effectivePlan).toBe('free');
      const role = await platform.execute(owner, 'moz.platform.admin', { action: 'upsert_role', name: 'auditor', permissions: ['read:*'] });
      expect(role.status).toBe(402);
      const member = await as(`plan-${managed}`, ['member'], 'p-member');
      expect((await platform.execute(member, HOSTING, { action: 'create_app', name: 'No', slug: 'not-allowed' })).status).toBe(403);
    });

    it('answers 401 for a bad token', async () => {
      const res = await platform.execute({ token: 'not.a.jwt' }, HOSTING, { action: 'list_apps' });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' }, correlationId: 'e2e-1' });
    });

    it('answers 400 naming the field that failed validation', async () => {
      const res = await platform.execute(await as('app-1'), HOSTING, { action: 'create_app', name: 'X', slug: 'NO SPACES' });
      expect(res.status).toBe(400);
      expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toEqual(['slug']);
    });

    it('answers 404 for an unknown plugin', async () => {
      const res = await platform.execute(await as('app-1'), 'moz.platform.unknown', { action: 'list_apps' });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('NOT_FOUND');
    });

    it("answers 404 for another tenant's app id, and leaves it unchanged", async () => {
      const owner = await as('owner-tenant');
      const app = (await platform.execute(owner, HOSTING, { action: 'create_app', name: 'Private', slug: 'private' })).json.data;
      const intruder = await as('intruder-tenant', ['owner']);
      for (const action of ['get_app', 'update_app', 'delete_app', 'deploy']) {
        const res = await platform.execute(intruder, HOSTING, { action, appId: app.appId, ...(action === 'update_app' && { name: 'Mine now' }) });
        expect(res.status, action).toBe(404);
      }
      expect((await platform.execute(owner, HOSTING, { action: 'get_app', appId: app.appId })).json.data).toEqual(app);
    });

    it('refuses a dev token request that fails validation', async () => {
      const res = await platform.post('/dev/token', { sub: 'u1' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain('tenantId');
    });

    it('serves the health check and the plugin UIs', async () => {
      expect((await (await fetch(`${platform.url}/api/health`)).json()) as object).toMatchObject({ ok: true, data: { status: 'ok' } });
      const page = await fetch(`${platform.url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
    });
  });
}
