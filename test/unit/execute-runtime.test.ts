import { describe, expect, it } from 'vitest';
import { PLUGINS } from '#functions/execute/registry';
import { createMockConnectors } from '#functions/services/in-process';

const mockConnectors = await createMockConnectors();
import { AUDIENCE, createHarness } from '../support/execute-harness.ts';
import { createDevIssuer } from '#local/dev-issuer';

const HOSTING = '/api/execute/moz.platform.hosting';

describe('execute runtime', () => {
  const { call, token } = createHarness(mockConnectors);
  const auth = (tenantId: string, roles?: string[], sub?: string) => ({ authorization: `Bearer ${token(tenantId, roles, sub)}` });

  it('runs an action for the tenant of the verified token and wraps it in the envelope', async () => {
    const created = await call({ path: HOSTING, headers: auth('acme'), body: { action: 'create_app', name: 'Shop', slug: 'shop' } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ ok: true, data: { name: 'Shop', slug: 'shop', status: 'draft' } });
    expect(created.json.correlationId).toEqual(created.headers['x-correlation-id']);
    const listed = await call({ path: HOSTING, headers: auth('acme'), body: { action: 'list_apps' } });
    expect(listed.json.data.items.map((a: { slug: string }) => a.slug)).toEqual(['shop']);
  });

  it('ignores tenant and user fields sent in the body', async () => {
    await call({ path: HOSTING, headers: auth('victim'), body: { action: 'create_app', name: 'V', slug: 'victim-app' } });
    const spoofed = await call({
      path: HOSTING,
      headers: auth('attacker'),
      body: { action: 'list_apps', tenantId: 'victim', app_id: 'victim', _context: { tenantId: 'victim' } },
    });
    expect(spoofed.status).toBe(200);
    expect(spoofed.json.data.items).toEqual([]);
  });

  it('answers 401 without a token, with a token of another issuer key, and with an expired token', async () => {
    const none = await call({ path: HOSTING, body: { action: 'list_apps' } });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    const forger = createDevIssuer({ issuer: 'https://issuer.test' });
    const forged = forger.sign({ sub: 'u1', tenantId: 'acme', roles: ['owner'], audience: AUDIENCE });
    expect((await call({ path: HOSTING, headers: { authorization: `Bearer ${forged}` }, body: { action: 'list_apps' } })).status).toBe(401);

    const past = createHarness(await createMockConnectors());
    const expired = past.issuer.sign({ sub: 'u1', tenantId: 'acme', roles: [], audience: AUDIENCE, expiresInSeconds: -120 });
    expect((await past.call({ path: HOSTING, headers: { authorization: `Bearer ${expired}` }, body: { action: 'list_apps' } })).status).toBe(401);
  });

  it('answers 404 for an unknown plugin and 400 listing the valid actions for an unknown one', async () => {
    const plugin = await call({ path: '/api/execute/moz.platform.nope', headers: auth('acme'), body: { action: 'x' } });
    expect(plugin.status).toBe(404);
    expect(plugin.json.error.code).toBe('NOT_FOUND');
    const action = await call({ path: HOSTING, headers: auth('acme'), body: { action: 'launch_rocket' } });
    expect(action.status).toBe(400);
    expect(action.json.error.message).toContain('list_apps');
    expect(action.json.error.details.issues[0].field).toBe('action');
  });

  it('answers 400 naming the field that failed validation, and writes nothing', async () => {
    const bad = await call({ path: HOSTING, headers: auth('strict'), body: { action: 'create_app', name: 42, slug: 'ok-slug' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    expect(bad.json.error.details.issues).toEqual([{ field: 'name', message: 'Invalid input: expected string, received number' }]);
    const unknownField = await call({ path: HOSTING, headers: auth('strict'), body: { action: 'list_apps', limt: 5 } });
    expect(unknownField.json.error.message).toContain('limt');
    expect((await call({ path: HOSTING, headers: auth('strict'), body: { action: 'list_apps' } })).json.data.items).toEqual([]);
  });

  it('answers 400 for a body that is not JSON and 413 above 1 MB', async () => {
    const notJson = await call({ path: HOSTING, headers: auth('acme'), rawBody: '{"action":' });
    expect(notJson.status).toBe(400);
    const huge = await call({ path: HOSTING, headers: auth('acme'), body: { action: 'list_apps', pad: 'x'.repeat(1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps the caller correlation id when it is safe and replaces it otherwise', async () => {
    const kept = await call({ path: '/api/health', headers: { 'x-correlation-id': 'req-123' } });
    expect(kept.json).toEqual({ ok: true, data: { status: 'ok', dependencies: {} }, correlationId: 'req-123' });
    const replaced = await call({ path: '/api/health', headers: { 'x-correlation-id': 'bad id\n' } });
    expect(replaced.json.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports each dependency in /api/health: 503 degraded naming the one that is down or hangs', async () => {
    let databaseUp = true;
    const { call: callWith } = createHarness(await createMockConnectors(), {
      dependencies: { dynamodb: async () => (databaseUp ? undefined : Promise.reject(new Error('ECONNREFUSED'))), queue: async () => undefined },
    });
    const healthy = await callWith({ path: '/api/health' });
    expect(healthy.status).toBe(200);
    expect(healthy.json.data).toEqual({ status: 'ok', dependencies: { dynamodb: 'up', queue: 'up' } });
    databaseUp = false;
    const degraded = await callWith({ path: '/api/health' });
    expect(degraded.status).toBe(503);
    expect(degraded.json).toMatchObject({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'Degraded: dynamodb is down', details: { status: 'degraded', dependencies: { dynamodb: 'down', queue: 'up' } } } });
    expect(JSON.stringify(degraded.json)).not.toContain('ECONNREFUSED');
    const { call: callHanging } = createHarness(await createMockConnectors(), { dependencies: { dynamodb: () => new Promise(() => undefined) } });
    expect((await callHanging({ path: '/api/health' })).status).toBe(503);
  });

  it('checks the permission of the stored roles before running an action', async () => {
    const owner = auth('builds', ['owner'], 'builder-owner');
    const member = auth('builds', ['member'], 'builder-member');
    const app = await call({ path: HOSTING, headers: owner, body: { action: 'create_app', name: 'B', slug: 'build-me' } });
    const dep = await call({ path: HOSTING, headers: owner, body: { action: 'deploy', appId: app.json.data.appId } });
    const report = { action: 'report_deployment_status', appId: app.json.data.appId, deploymentId: dep.json.data.deploymentId, status: 'running' };
    const refused = await call({ path: HOSTING, headers: member, body: report });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('report:hosting');
    expect((await call({ path: HOSTING, headers: member, body: { action: 'create_app', name: 'M', slug: 'member-app' } })).status).toBe(403);
    expect((await call({ path: HOSTING, headers: member, body: { action: 'list_apps' } })).status).toBe(200);
    expect((await call({ path: HOSTING, headers: owner, body: report })).json.data.status).toBe('running');
  });

  it('lists the plugins and the actions the caller may use', async () => {
    const owner = await call({ path: '/api/plugins', headers: auth('plugins-t', ['owner'], 'p-owner') });
    const names = (plugin: { actions: { name: string }[] }) => plugin.actions.map((a) => a.name);
    expect(owner.json.data.plan).toBe('enterprise');
    expect(owner.json.data.plugins.map((p: { name: string }) => p.name)).toEqual([
      'moz.platform.hosting',
      'moz.platform.admin',
      'moz.platform.discovery',
      'moz.platform.social',
      'moz.platform.community',
      'moz.platform.growth',
      'moz.platform.funding',
      'moz.platform.dashboard',
    ]);
    // Every action of every plugin is open to an owner on enterprise.
    for (const plugin of owner.json.data.plugins) expect(names(plugin)).toEqual(Object.keys((await PLUGINS.get(plugin.name)!()).actions));
    expect(names(owner.json.data.plugins[0])).toHaveLength(17);
    expect(names(owner.json.data.plugins[1])).toHaveLength(18);
    const member = await call({ path: '/api/plugins', headers: auth('plugins-t', ['member'], 'p-member') });
    const memberPlugin = (name: string) => names(member.json.data.plugins.find((p: { name: string }) => p.name === `moz.platform.${name}`));
    expect(memberPlugin('hosting')).toEqual(['list_apps', 'get_app', 'get_lifecycle', 'list_deployments', 'get_deployment', 'list_domains']);
    expect(memberPlugin('admin')).not.toContain('update_user_roles');
    expect(memberPlugin('discovery')).toContain('search_listings');
    expect(memberPlugin('discovery')).not.toContain('publish_listing');
    expect(memberPlugin('social')).toContain('create_post');
    expect(memberPlugin('community')).toContain('send_message');
    expect(memberPlugin('funding')).toContain('pledge');
    expect(memberPlugin('funding')).not.toContain('create_round');
  });

  it('answers 404 for unknown routes', async () => {
    expect((await call({ path: '/api/nothing-here' })).status).toBe(404);
  });
});

describe('execute runtime failures', () => {
  it('never leaks an internal error to the caller', async () => {
    const mock = await createMockConnectors();
    const broken = {
      ...mock,
      hosting: {
        ...mock.hosting,
        listApps: async () => {
          throw new Error('ECONNREFUSED db-internal.cluster:5432 secret-table');
        },
      },
    };
    const { call, token } = createHarness(broken);
    const res = await call({ path: HOSTING, headers: { authorization: `Bearer ${token('acme')}` }, body: { action: 'list_apps' } });
    expect(res.status).toBe(500);
    expect(res.json.error).toEqual({ code: 'INTERNAL', message: 'Internal error' });
    expect(JSON.stringify(res.json)).not.toContain('secret');
  });
});
