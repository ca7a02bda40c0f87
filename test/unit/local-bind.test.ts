// Issue 6, item 8: `npm start` must not be reachable from the network (anyone reaching it can mint
// an owner token at /dev/token), and DynamoDB Local (every tenant's data) must not be either.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasJavaCompiler, startDynamoDbLocal } from '#local/dynamodb-local';
import { isLoopbackHost, startLocalPlatform, type LocalPlatform } from '#local/platform';

/** An address of this machine that other machines could reach (not loopback), if it has one. */
const externalAddress = (): string | undefined => {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const usable = all.filter((a) => !a.internal && !a.address.startsWith('fe80:'));
  return (usable.find((a) => a.family === 'IPv4') ?? usable[0])?.address;
};

/** Resolves 'open' if a TCP connection is accepted, 'refused' if not (nothing listens there). */
const probe = (host: string, port: number): Promise<'open' | 'refused'> =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('refused');
    });
    socket.once('error', () => resolve('refused'));
  });

const external = externalAddress();

describe('the local platform binds to loopback by default', () => {
  let dataDir: string;
  let platform: LocalPlatform;
  let port: number;
  const logged: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-bind-'));
    platform = await startLocalPlatform({ port: 0, managed: false, inMemory: true, dataDir, log: (m) => logged.push(m) });
    port = Number(new URL(platform.url).port);
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers on 127.0.0.1, under the URL it prints (the token issuer)', async () => {
    expect(platform.host).toBe('127.0.0.1');
    expect(platform.url).toBe(`http://localhost:${port}`);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(res.status).toBe(200);
    // The issuer is the printed URL: a token minted there is accepted there.
    const { token } = (await (await fetch(`${platform.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'u1', tenantId: 'bind-1', roles: ['admin'] }),
    }).then((r) => r.json())) as { token: string });
    const listed = await fetch(`${platform.url}/api/execute/moz.platform.hosting`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ action: 'list_apps' }),
    });
    expect(listed.status).toBe(200);
    expect(logged.filter((m) => m.includes('warning'))).toEqual([]);
  });

  it("is not reachable on this machine's network address", async (ctx) => {
    if (!external) return ctx.skip('this machine has no non-loopback address in os.networkInterfaces(): nothing to probe');
    expect(await probe(external, port)).toBe('refused');
  });
});

describe('HOST set to a non-loopback address', () => {
  it('listens there and warns that anyone reaching it can mint tokens', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-bind-'));
    const logged: string[] = [];
    const platform = await startLocalPlatform({ port: 0, host: '0.0.0.0', managed: false, inMemory: true, dataDir, log: (m) => logged.push(m) });
    try {
      expect(logged.join('\n')).toMatch(/warning: listening on 0\.0\.0\.0, not loopback.*\/dev\/token/);
      const port = Number(new URL(platform.url).port);
      expect((await fetch(`${platform.url}/api/health`)).status).toBe(200);
      if (external) expect(await probe(external, port)).toBe('open');
    } finally {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('tells loopback addresses from others', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('DynamoDB Local binds to loopback', () => {
  it('answers on 127.0.0.1 and not on the network address', async (ctx) => {
    if (!external) return ctx.skip('this machine has no non-loopback address in os.networkInterfaces(): nothing to probe');
    if (!(await hasJavaCompiler())) {
      // DynamoDBLocal.jar has no bind-address option; the loopback launcher needs a JDK.
      ctx.skip('no JDK (jdk.compiler): DynamoDB Local falls back to every interface, with a warning');
    }
    const ddb = await startDynamoDbLocal({ dataDir: '', inMemory: true, restart: false });
    try {
      expect(ddb.loopbackOnly).toBe(true);
      expect(await probe('127.0.0.1', ddb.port)).toBe('open');
      expect(await probe(external, ddb.port)).toBe('refused');
    } finally {
      await ddb.stop();
    }
  }, 60_000);
});
