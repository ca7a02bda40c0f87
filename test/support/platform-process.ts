// Starts `npm start`'s entry (bin/local.ts) as a child process and talks HTTP to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

export interface RunningPlatform {
  url: string;
  output: () => string;
  stop(): Promise<void>;
  token(tenantId: string, roles?: string[], sub?: string): Promise<string>;
  /** POST /api/execute/{plugin} with a bearer token or an app key. */
  execute(credential: { token: string } | { appKey: string }, plugin: string, body: unknown): Promise<{ status: number; json: any }>;
  post(path: string, body: unknown): Promise<{ status: number; json: any }>;
}

export async function startPlatformProcess(env: Record<string, string>): Promise<RunningPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    env: { ...process.env, PORT: '0', MOZAIKS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local platform did not start:\n${output}`)), 90_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`local platform exited with ${code}:\n${output}`)));
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  };

  return {
    url,
    output: () => output,
    post: (path, body) => post(path, body),
    async token(tenantId, roles = ['admin'], sub = 'u1') {
      const res = await post('/dev/token', { sub, tenantId, roles });
      expect(res.status).toBe(200);
      return res.json.token as string;
    },
    execute(credential, plugin, body) {
      const headers: Record<string, string> =
        'token' in credential ? { authorization: `Bearer ${credential.token}` } : { 'x-mozaiks-app-key': credential.appKey };
      return post(`/api/execute/${plugin}`, body, { ...headers, 'x-correlation-id': 'e2e-1' });
    },
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One platform process for the calling describe block: started before its tests, stopped after them.
 * The object is filled in when it has started, so tests use it as they would the running platform.
 */
export function usePlatform(env: Record<string, string> = { MOZAIKS_MANAGED: 'true' }): RunningPlatform {
  const platform = {} as RunningPlatform;
  let running: RunningPlatform | undefined;
  beforeAll(async () => {
    running = await startPlatformProcess(env);
    Object.assign(platform, running);
  }, 90_000);
  afterAll(() => running?.stop(), 30_000);
  return platform;
}

/** The data of a successful envelope; fails the test, showing the envelope, otherwise. */
export async function okData(promise: Promise<{ status: number; json: any }>): Promise<any> {
  const res = await promise;
  expect(res.json.ok, JSON.stringify(res.json)).toBe(true);
  return res.json.data;
}

/** The owner of a fresh tenant (id starting with `prefix`) bought up to `plan` through checkout, with one app. */
export async function ownerWithApp(platform: RunningPlatform, prefix: string, plan: string): Promise<{ tenantId: string; owner: { token: string }; appId: string }> {
  const tenantId = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const owner = { token: await platform.token(tenantId, ['owner'], 'owner') };
  if (plan !== 'free') {
    const urls = { successUrl: 'https://a.example.com/ok', cancelUrl: 'https://a.example.com/no' };
    const { sessionId } = await okData(platform.execute(owner, 'moz.platform.admin', { action: 'create_checkout', plan, ...urls }));
    await okData(platform.execute(owner, 'moz.platform.admin', { action: 'complete_checkout', sessionId }));
  }
  const app = await okData(platform.execute(owner, 'moz.platform.hosting', { action: 'create_app', name: 'Shop', slug: 'shop' }));
  return { tenantId, owner, appId: app.appId as string };
}
