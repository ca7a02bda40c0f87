// Issue 6, item 9: when DynamoDB Local dies, the local platform must notice. /api/health answers 503
// `degraded` naming dynamodb while it is down, the JVM's exit is logged, and it is restarted on the
// same port and data file (nothing written before is lost), a bounded number of times; then the
// platform reports it as lost (bin/local.ts exits). Managed mode, data on disk, as `npm start` runs.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '#local/platform';

const HOSTING = 'moz.platform.hosting';

interface Harness {
  platform: LocalPlatform;
  dataDir: string;
  logged: string[];
  lost: Error[];
  token(tenantId: string, roles?: string[], sub?: string): Promise<string>;
  execute(token: string, body: unknown): Promise<{ status: number; json: any }>;
  health(): Promise<{ status: number; json: any }>;
  /** Polls /api/health until `accept` says yes; returns that answer. */
  healthUntil(accept: (answer: { status: number; json: any }) => boolean, timeoutMs: number): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

async function start(options: Partial<LocalPlatformOptions>): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-resilience-'));
  const logged: string[] = [];
  const lost: Error[] = [];
  const platform = await startLocalPlatform({
    port: 0,
    managed: true,
    dataDir, // on disk, not inMemory: a restart must reopen the same file
    log: (message) => logged.push(message),
    onDynamoDbLost: (error) => lost.push(error),
    ...options,
  });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${platform.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  };
  const health = async () => {
    const res = await fetch(`${platform.url}/api/health`);
    return { status: res.status, json: (await res.json()) as any };
  };
  return {
    platform,
    dataDir,
    logged,
    lost,
    async token(tenantId, roles = ['owner'], sub = 'owner-1') {
      const res = await post('/dev/token', { sub, tenantId, roles });
      expect(res.status).toBe(200);
      return res.json.token as string;
    },
    execute: (token, body) => post(`/api/execute/${HOSTING}`, body, { authorization: `Bearer ${token}` }),
    health,
    async healthUntil(accept, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last = await health();
      while (!accept(last)) {
        if (Date.now() > deadline) throw new Error(`/api/health never matched within ${timeoutMs} ms; last answer ${last.status} ${JSON.stringify(last.json)}`);
        await new Promise((done) => setTimeout(done, 100));
        last = await health();
      }
      return last;
    },
    async close() {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until DynamoDB Local has no SQLite write transaction open (no rollback journal beside its
 * file). Its TransactWriteItems answers a few milliseconds before the commit completes: a SIGKILL
 * in that window rolls the last transaction back on restart (DynamoDB Local's behaviour, plain jar
 * included; 2 of 8 writes killed at once were lost, none of 8 killed 100 ms later). That is the
 * one write a crash can cost; everything committed before it must survive, which is what this checks.
 */
async function committed(dataDir: string): Promise<void> {
  const journal = join(dataDir, 'dynamodb', 'shared-local-instance.db-journal');
  await expect.poll(() => existsSync(journal), { timeout: 5_000, interval: 10 }).toBe(false);
  await new Promise((done) => setTimeout(done, 50));
  await expect.poll(() => existsSync(journal), { timeout: 5_000, interval: 10 }).toBe(false);
}

const isDegraded = (answer: { status: number; json: any }) =>
  answer.status === 503 &&
  answer.json?.error?.code === 'UPSTREAM_UNAVAILABLE' &&
  answer.json.error.details?.status === 'degraded' &&
  answer.json.error.details.dependencies?.dynamodb === 'down';
const isOk = (answer: { status: number; json: any }) =>
  answer.status === 200 && answer.json?.data?.status === 'ok' && answer.json.data.dependencies?.dynamodb === 'up';

describe('DynamoDB Local dies under the local platform (restarts on)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start({ dynamoDbRestart: { maxRestarts: 1, windowMs: 60_000 } });
  }, 60_000);
  afterAll(() => h?.close(), 30_000);

  it('health names dynamodb as up while it runs', async () => {
    const answer = await h.health();
    expect(isOk(answer), JSON.stringify(answer)).toBe(true);
  });

  it('answers 503 degraded while it is down, logs the exit, restarts it on the same data, and loses nothing', async () => {
    const owner = await h.token('resilience-1');
    const created = await h.execute(owner, { action: 'create_app', name: 'Kept', slug: 'kept-across-restart' });
    expect(created.status).toBe(200);
    await committed(h.dataDir);

    const firstPid = h.platform.dynamodb!.pid!;
    const port = h.platform.dynamodb!.port;
    process.kill(firstPid, 'SIGKILL');

    // While the JVM is gone (the restart takes seconds), health says so and names the dependency.
    const degraded = await h.healthUntil(isDegraded, 10_000);
    expect(degraded.json.error.details).toEqual({ status: 'degraded', dependencies: { dynamodb: 'down' } });

    // Then it is back: a new JVM on the same port (the platform's client keeps its endpoint) ...
    await expect.poll(() => h.logged.join('\n'), { timeout: 45_000, interval: 200 }).toMatch(/DynamoDB Local is back \(pid \d+\)/);
    await h.healthUntil(isOk, 5_000);
    expect(h.platform.dynamodb!.pid).not.toBe(firstPid);
    expect(h.platform.dynamodb!.port).toBe(port);
    // ... over the same file: what was written before the kill is still there.
    const listed = await h.execute(owner, { action: 'list_apps' });
    expect(listed.status).toBe(200);
    expect(listed.json.data.items.map((app: { slug: string }) => app.slug)).toContain('kept-across-restart');

    const log = h.logged.join('\n');
    expect(log).toMatch(new RegExp(`DynamoDB Local \\(pid ${firstPid}\\) exited unexpectedly \\(killed by SIGKILL\\); restarting it on port ${port} with the data in \\S+dynamodb`));
    expect(log).toContain(`DynamoDB Local is back (pid ${h.platform.dynamodb!.pid})`);
    expect(h.lost).toEqual([]);
  }, 90_000);

  it('gives up once the restart budget is spent: health stays 503, the platform reports it lost', async () => {
    const pid = h.platform.dynamodb!.pid!;
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => h.lost.length, { timeout: 10_000 }).toBe(1);
    expect(h.lost[0]!.message).toMatch(/after 1 restart within 60 s; giving up/);
    expect(h.logged.join('\n')).toMatch(new RegExp(`DynamoDB Local \\(pid ${pid}\\) exited unexpectedly \\(killed by SIGKILL\\); not restarting it`));
    expect(isDegraded(await h.health())).toBe(true);
  }, 30_000);
});

describe('DynamoDB Local dies under the local platform (restarts off)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start({ dynamoDbRestart: false });
  }, 60_000);
  afterAll(() => h?.close(), 30_000);

  it('answers 503 degraded naming dynamodb, and data calls fail, instead of health saying ok', async () => {
    const owner = await h.token('resilience-2');
    expect((await h.execute(owner, { action: 'list_apps' })).status).toBe(200);
    expect(isOk(await h.health())).toBe(true);

    const pid = h.platform.dynamodb!.pid!;
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => h.lost.length, { timeout: 10_000 }).toBe(1);
    expect(h.lost[0]!.message).toMatch(/restarts are off/);

    const answer = await h.health();
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM_UNAVAILABLE', details: { status: 'degraded', dependencies: { dynamodb: 'down' } } },
    });
    // A fresh tenant has nothing cached: its first call needs the store, which is gone.
    const other = await h.token('resilience-3');
    expect((await h.execute(other, { action: 'list_apps' })).status).toBeGreaterThanOrEqual(500);
    expect(h.logged.join('\n')).toMatch(/exited unexpectedly \(killed by SIGKILL\); not restarting it/);
  }, 30_000);
});
