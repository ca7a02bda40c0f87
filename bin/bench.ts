// `npm run bench`: latency of the local platform (managed mode, DynamoDB Local) under light load,
// measured with autocannon over real HTTP. Prints figures; asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const { startLocalPlatform } = await import('./local/platform.ts');

const managed = process.env.MOZAIKS_MANAGED !== 'false';
const dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-bench-'));
const platform = await startLocalPlatform({ port: 0, managed, dataDir, inMemory: true });
const headers = { authorization: `Bearer ${platform.demoToken}`, 'content-type': 'application/json' };

let slug = 0;
const scenarios: Array<{ name: string; options: autocannon.Options }> = [
  { name: 'GET /api/health', options: { url: `${platform.url}/api/health` } },
  { name: 'list_apps', options: { url: `${platform.url}/api/execute/moz.platform.hosting`, method: 'POST', headers, body: JSON.stringify({ action: 'list_apps' }) } },
  {
    name: 'create_app (transaction)',
    options: {
      url: `${platform.url}/api/execute/moz.platform.hosting`,
      method: 'POST',
      headers,
      requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ action: 'create_app', name: 'Bench', slug: `bench-${++slug}` }) }) }],
    },
  },
];

console.log(`local platform, ${managed ? 'managed (DynamoDB Local)' : 'mock'}; 10 connections, 5 s each`);
for (const { name, options } of scenarios) {
  const result = await autocannon({ connections: 10, duration: 5, ...options });
  const { p50, p90, p99 } = result.latency as unknown as Record<string, number>;
  console.log(
    `${name.padEnd(26)} ${String(Math.round(result.requests.average)).padStart(6)} req/s   p50 ${p50} ms   p90 ${p90} ms   p99 ${p99} ms   non-2xx ${result.non2xx}`,
  );
}
await platform.stop();
await rm(dataDir, { recursive: true, force: true });
