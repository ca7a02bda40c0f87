// Starts `npm start`'s entry as a child process and speaks HTTP to it, as a tenant's developer would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HOSTING = '/api/execute/moz.platform.hosting';

async function startPlatform(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local platform did not start:\n${output}`)), 45_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`local platform exited with ${code}:\n${output}`)));
  });
  return { url, child, output: () => output };
}

function stopPlatform(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

for (const managed of [true, false]) {
  describe(`local platform over HTTP (${managed ? 'managed, DynamoDB Local' : 'mock connectors'})`, () => {
    let url: string;
    let child: ChildProcess | undefined;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-e2e-'));
      ({ url, child } = await startPlatform({ MOZAIKS_MANAGED: String(managed), MOZAIKS_DATA_DIR: dataDir }));
    }, 60_000);
    afterAll(async () => {
      await stopPlatform(child);
      await rm(dataDir, { recursive: true, force: true });
    }, 30_000);

    const token = async (tenantId: string, roles = ['admin'], sub = 'u1'): Promise<string> => {
      const res = await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, tenantId, roles }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    const execute = async (bearer: string, body: unknown, path = HOSTING) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'x-correlation-id': 'e2e-1' },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };

    it('answers list_apps for a fresh dev token with the documented envelope', async () => {
      const res = await execute(await token('app-1'), { action: 'list_apps' });
      expect(res).toEqual({ status: 200, json: { ok: true, data: { items: [] }, correlationId: 'e2e-1' } });
    });

    it('seeds the demo tenant with an app', async () => {
      const res = await execute(await token('demo', ['owner']), { action: 'list_apps' });
      expect(res.json.data.items.map((a: { slug: string }) => a.slug)).toContain('demo');
    });

    it('creates, deploys and verifies a domain end to end', async () => {
      const owner = await token('tenant-e2e');
      const app = (await execute(owner, { action: 'create_app', name: 'Shop', slug: 'shop' })).json.data;
      const dep = (await execute(owner, { action: 'deploy', appId: app.appId })).json.data;
      const build = await token('tenant-e2e', ['app'], 'builder');
      const report = await execute(build, { action: 'report_deployment_status', appId: app.appId, deploymentId: dep.deploymentId, status: 'succeeded' });
      expect(report.json.data.status).toBe('succeeded');
      expect((await execute(owner, { action: 'get_app', appId: app.appId })).json.data.status).toBe('live');

      const domain = (await execute(owner, { action: 'add_domain', appId: app.appId, domain: `shop-${managed}.example.com` })).json.data;
      const dns = await fetch(`${url}/dev/dns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: domain.verificationRecord.name, values: [domain.verificationRecord.value] }),
      });
      expect(dns.status).toBe(200);
      const verified = await execute(owner, { action: 'verify_domain', appId: app.appId, domain: domain.domain });
      expect(verified.json.data).toMatchObject({ status: 'verified', tls: { status: 'active' } });
    });

    it('answers 401 for a bad token', async () => {
      const res = await execute('not.a.jwt', { action: 'list_apps' });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' }, correlationId: 'e2e-1' });
    });

    it('answers 400 naming the field that failed validation', async () => {
      const res = await execute(await token('app-1'), { action: 'create_app', name: 'X', slug: 'NO SPACES' });
      expect(res.status).toBe(400);
      expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toEqual(['slug']);
    });

    it('answers 404 for an unknown plugin', async () => {
      const res = await execute(await token('app-1'), { action: 'list_apps' }, '/api/execute/moz.platform.unknown');
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('NOT_FOUND');
    });

    it("answers 404 for another tenant's app id, and leaves it unchanged", async () => {
      const owner = await token('owner-tenant');
      const app = (await execute(owner, { action: 'create_app', name: 'Private', slug: 'private' })).json.data;
      const intruder = await token('intruder-tenant', ['owner']);
      for (const action of ['get_app', 'update_app', 'delete_app', 'deploy']) {
        const res = await execute(intruder, { action, appId: app.appId, ...(action === 'update_app' && { name: 'Mine now' }) });
        expect(res.status, action).toBe(404);
      }
      expect((await execute(owner, { action: 'get_app', appId: app.appId })).json.data).toEqual(app);
    });

    it('refuses a dev token request that fails validation', async () => {
      const res = await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'u1' }) });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('tenantId');
    });

    it('serves the health check and the plugin UIs', async () => {
      expect((await (await fetch(`${url}/api/health`)).json()) as object).toMatchObject({ ok: true, data: { status: 'ok' } });
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
    });
  });
}
