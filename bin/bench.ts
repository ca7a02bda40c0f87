// `npm run bench`: latency of the local platform (managed mode, DynamoDB Local) under light load,
// measured with autocannon over real HTTP. Compares an ungated route, an action checked for its
// permission, one also checked for a plan feature, and the same with the access cache off.
// Then the performance goals, each against a floor measured in the same run (bin/bench-goals.ts).
// Prints figures; asserts nothing. BENCH_SECONDS (default 5) is the length of each load run;
// BENCH_ONLY=goals runs only the goals.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const { startLocalPlatform } = await import('./local/platform.ts');
const { benchGoals } = await import('./bench-goals.ts');

const managed = process.env.MOZAIKS_MANAGED !== 'false';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

async function withPlatform(accessCacheMs: number, run: (url: string, token: string) => Promise<void>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-bench-'));
  const platform = await startLocalPlatform({ port: 0, managed, dataDir, inMemory: true, accessCacheMs });
  try {
    await run(platform.url, platform.demoToken);
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measure(name: string, options: autocannon.Options): Promise<number> {
  const result = await autocannon({ connections: 10, duration: seconds, ...options });
  const { p50, p90, p99 } = result.latency as unknown as Record<string, number>;
  console.log(
    `${name.padEnd(44)} ${String(Math.round(result.requests.average)).padStart(6)} req/s   p50 ${p50} ms   p90 ${p90} ms   p99 ${p99} ms   non-2xx ${result.non2xx}`,
  );
  return p50!;
}

const execute = (url: string, token: string, body: unknown, plugin = 'hosting'): autocannon.Options => ({
  url: `${url}/api/execute/moz.platform.${plugin}`,
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A verified domain with active TLS: verify_domain on it reads and answers, writing nothing. */
async function verifiedDomain(url: string, token: string) {
  const call = async (body: unknown) => {
    const res = await fetch(`${url}/api/execute/moz.platform.hosting`, execute(url, token, body) as RequestInit);
    return ((await res.json()) as { data: any }).data;
  };
  const [app] = (await call({ action: 'list_apps' })).items;
  const domain = await call({ action: 'add_domain', appId: app.appId, domain: 'bench.example.com' });
  await fetch(`${url}/dev/dns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: domain.verificationRecord.name, values: [domain.verificationRecord.value] }),
  });
  await call({ action: 'verify_domain', appId: app.appId, domain: domain.domain });
  return { appId: app.appId as string, domain: domain.domain as string };
}

/** An owner token of a fresh tenant bought up to enterprise, so create_app never meets an app limit. */
async function enterpriseOwner(url: string): Promise<string> {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const { token } = (await (await post('/dev/token', { sub: 'bench-owner', tenantId: 'bench', roles: ['owner'] })).json()) as { token: string };
  const checkout = (await (
    await post(
      '/api/execute/moz.platform.admin',
      { action: 'create_checkout', plan: 'enterprise', successUrl: 'http://localhost/ok', cancelUrl: 'http://localhost/no' },
      { authorization: `Bearer ${token}` },
    )
  ).json()) as { ok: boolean; data?: { sessionId: string } };
  // Mock mode starts every tenant on enterprise already.
  if (checkout.ok && checkout.data) {
    await fetch(`${url}/dev/checkout/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tenant: 'bench', session: checkout.data.sessionId }).toString(),
    });
  }
  return token;
}

if (process.env.BENCH_ONLY !== 'goals') {
console.log(`local platform, ${managed ? 'managed (DynamoDB Local)' : 'mock'}; 10 connections, ${seconds} s each`);
await withPlatform(30_000, async (url, token) => {
  const target = await verifiedDomain(url, token);
  let slug = 0;
  await measure(managed ? 'GET /api/health (DynamoDB Local ListTables)' : 'GET /api/health (no checks)', { url: `${url}/api/health` });
  await measure('list_apps (permission)', execute(url, token, { action: 'list_apps' }));
  await measure('verify_domain (permission + plan feature)', execute(url, token, { action: 'verify_domain', ...target }));
  const unlimited = await enterpriseOwner(url);
  await measure('create_app (transaction, plan limit)', {
    ...execute(url, unlimited, {}),
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ action: 'create_app', name: 'Bench', slug: `bench-${++slug}` }) }) }],
  });
});
await withPlatform(0, async (url, token) => {
  const target = await verifiedDomain(url, token);
  await measure('list_apps, access cache off', execute(url, token, { action: 'list_apps' }));
  await measure('verify_domain, access cache off', execute(url, token, { action: 'verify_domain', ...target }));
});
// The dashboard reads one call per section at once: its latency against the slowest of those calls alone,
// one request at a time (under load the sections compete for the same DynamoDB Local and CPU).
await withPlatform(30_000, async (url, token) => {
  const sections: Array<[string, string, object]> = [
    ['hosting', 'list_apps', {}],
    ['admin', 'get_usage', {}],
    ['community', 'list_conversations', {}],
    ['funding', 'my_positions', {}],
    ['funding', 'list_rounds', {}],
    ['growth', 'list_campaigns', { status: 'active' }],
  ];
  const alone: number[] = [];
  for (const [plugin, action, body] of sections) alone.push(await measure(`${action} (a section alone, 1 conn)`, { ...execute(url, token, { action, ...body }, plugin), connections: 1 }));
  const overview = await measure('get_overview (all sections, 1 conn)', { ...execute(url, token, { action: 'get_overview' }, 'dashboard'), connections: 1 });
  const slowest = Math.max(...alone);
  console.log(`get_overview p50 ${overview} ms / slowest section alone ${slowest} ms = ${(overview / slowest).toFixed(2)}x`);
});
}
await benchGoals(seconds);
