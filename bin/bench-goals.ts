// The performance goals of `npm run bench`: each figure against a floor measured in the same run on
// the same machine (absolute times of different runs do not compare on a shared, noisy machine).
//   1. one read action (get_app) through the local platform, p50 of sequential requests, against a bare
//      GetItem of the same item via the SDK on the same DynamoDB Local (data on disk, consistent read);
//   2. get_app throughput at 32 connections against the same GetItem at 32 concurrent;
//   (a figure without a goal) mock mode: get_app against /api/health (no data, no auth);
//   3. module load of every Lambda bundle against a bundle of only the AWS SDK client it uses (and, as a
//      figure, that client with the libraries its handlers need).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { SERVICE_NAMES } from '#connectors/contracts/registry';
import { EXECUTE_ENTRY, serviceEntry } from '#lib/entries';
import { ENTRY_FILE, bundleLambda } from '#lib/lambda-bundle';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local/dynamodb-local.ts';
import { startLocalPlatform } from './local/platform.ts';

const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const line = (figure: string, value: string, floor: string, ratio: number, goal: string, met: boolean) =>
  console.log(`${figure.padEnd(62)} ${value.padStart(10)}  floor ${floor.padStart(10)}  ratio ${ratio.toFixed(2).padStart(5)}  goal ${goal.padEnd(7)} ${goal === 'report' ? '' : met ? 'met' : 'NOT MET'}`);

/** p50 of `count` sequential calls, after a warm-up. */
async function sequentialP50(count: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Calls per second with `concurrency` loops for `seconds`, and how many failed. */
async function concurrentRate(concurrency: number, seconds: number, call: () => Promise<unknown>): Promise<{ rate: number; errors: number }> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await call().then(() => done++, () => errors++);
      }
    }),
  );
  return { rate: done / seconds, errors };
}

async function appOfDemo(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/execute/moz.platform.hosting`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'list_apps' }),
  });
  return ((await res.json()) as { data: { items: Array<{ appId: string }> } }).data.items[0]!.appId;
}

export async function benchGoals(seconds: number): Promise<void> {
  console.log(`\nGoals (issue 12): each figure against its floor measured in this run; ${seconds} s per load run\n`);
  const dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-goals-'));
  try {
    // Managed, data on disk like `npm start`: the floor uses the very same DynamoDB Local and table.
    const platform = await startLocalPlatform({ port: 0, managed: true, dataDir, log: () => undefined });
    try {
      const appId = await appOfDemo(platform.url, platform.demoToken);
      const client = new DynamoDBClient({ endpoint: platform.dynamodb!.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const getItem = () =>
        client.send(new GetItemCommand({ TableName: 'mozaiks-hosting', Key: { pk: { S: 'T#demo' }, sk: { S: `APP#${appId}` } }, ConsistentRead: true }));
      const body = JSON.stringify({ action: 'get_app', appId });
      const getApp = async () => {
        const res = await fetch(`${platform.url}/api/execute/moz.platform.hosting`, {
          method: 'POST',
          headers: { authorization: `Bearer ${platform.demoToken}`, 'content-type': 'application/json' },
          body,
        });
        if (!res.ok) throw new Error(`get_app answered ${res.status}`);
        await res.arrayBuffer();
      };
      const floorP50 = await sequentialP50(500, getItem);
      const p50 = await sequentialP50(500, getApp);
      line('1. get_app p50, sequential', `${p50.toFixed(2)} ms`, `${floorP50.toFixed(2)} ms`, p50 / floorP50, '<= 1.5', p50 / floorP50 <= 1.5);

      const floorRate = await concurrentRate(32, seconds, getItem);
      const load = await autocannon({
        url: `${platform.url}/api/execute/moz.platform.hosting`,
        method: 'POST',
        headers: { authorization: `Bearer ${platform.demoToken}`, 'content-type': 'application/json' },
        body,
        connections: 32,
        duration: seconds,
      });
      const rate = load.requests.average;
      const errors = load.non2xx + load.errors;
      line(
        '2. get_app req/s at 32 connections',
        `${Math.round(rate)}/s`,
        `${Math.round(floorRate.rate)}/s`,
        rate / floorRate.rate,
        '>= 0.7',
        rate / floorRate.rate >= 0.7 && errors === 0,
      );
      if (errors > 0 || floorRate.errors > 0) console.log(`   errors: platform ${errors}, floor ${floorRate.errors}`);
      client.destroy();
    } finally {
      await platform.stop();
    }

    const mock = await startLocalPlatform({ port: 0, managed: false, dataDir: join(dataDir, 'mock'), log: () => undefined });
    try {
      const appId = await appOfDemo(mock.url, mock.demoToken);
      const health = await autocannon({ url: `${mock.url}/api/health`, connections: 10, duration: seconds });
      const action = await autocannon({
        url: `${mock.url}/api/execute/moz.platform.hosting`,
        method: 'POST',
        headers: { authorization: `Bearer ${mock.demoToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'get_app', appId }),
        connections: 10,
        duration: seconds,
      });
      const ratio = action.requests.average / health.requests.average;
      line('mock get_app req/s vs /api/health (figure)', `${Math.round(action.requests.average)}/s`, `${Math.round(health.requests.average)}/s`, ratio, 'report', true);
    } finally {
      await mock.stop();
    }

    await moduleLoads(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Milliseconds to import `file` in a fresh Node process (median of `runs`, interleaved with the others). */
async function loadTimes(files: Record<string, string>, runs: number): Promise<Record<string, number>> {
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    TABLE_NAME: 'bench',
    AUTH_ISSUER: 'https://issuer.example.com',
    AUTH_AUDIENCE: 'bench',
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_FUNCTION_NAME`, name])),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
  const script = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  for (let i = 0; i < runs; i++) {
    for (const [name, file] of Object.entries(files)) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], { env });
      times[name]!.push(Number(stdout));
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

// The floors of goal 3, and beside them (a figure, no goal) each client with the libraries every request
// of its handlers needs, so the platform's own share of a cold start shows apart from theirs.
const DYNAMODB = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; export const client = new DynamoDBClient({});";
const LAMBDA = "import { LambdaClient } from '@aws-sdk/client-lambda'; export const client = new LambdaClient({});";
const ZOD = "import * as z from 'zod/mini'; import en from 'zod/v4/locales/en.js'; z.config(en()); export const body = z.object({ action: z.string() });";
const LOGGER = "import { Logger } from '@aws-lambda-powertools/logger'; export const logger = new Logger({ serviceName: 'floor' });";
const FLOORS = {
  'only @aws-sdk/client-dynamodb': DYNAMODB,
  'only @aws-sdk/client-lambda': LAMBDA,
  'client-dynamodb + lib-dynamodb, Logger, zod': `${DYNAMODB} ${LOGGER} ${ZOD}
    import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; export const documents = DynamoDBDocumentClient.from(client);`,
  'client-lambda + Logger, Metrics, middy, jwt, zod': `${LAMBDA} ${LOGGER} ${ZOD}
    import { Metrics } from '@aws-lambda-powertools/metrics'; export const metrics = new Metrics({ namespace: 'floor' });
    import middy from '@middy/core'; import router from '@middy/http-router'; import parser from '@middy/http-json-body-parser'; import headers from '@middy/http-header-normalizer';
    export const handler = middy().use(headers()).use(parser()).handler(router([]));
    import { JwtVerifier } from 'aws-jwt-verify'; export const verifier = JwtVerifier.create({ issuer: 'https://floor.example.com', audience: 'floor' });`,
};

async function moduleLoads(dir: string): Promise<void> {
  const out = (name: string) => resolve(dir, 'bundles', name);
  for (const [name, contents] of Object.entries(FLOORS)) {
    await bundleLambda({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'index.ts' } }, out(name));
  }
  const bundles: Record<string, string> = { execute: EXECUTE_ENTRY, ...Object.fromEntries(SERVICE_NAMES.map((name) => [name, serviceEntry(name)])) };
  for (const [name, entry] of Object.entries(bundles)) await bundleLambda({ entryPoints: { index: entry } }, out(name));
  const times = await loadTimes(Object.fromEntries([...Object.keys(FLOORS), ...Object.keys(bundles)].map((name) => [name, join(out(name), ENTRY_FILE)])), 15);
  const ms = (name: string) => `${times[name]!.toFixed(1)} ms`;
  for (const [floor, libraries] of [
    ['only @aws-sdk/client-lambda', 'client-lambda + Logger, Metrics, middy, jwt, zod'],
    ['only @aws-sdk/client-dynamodb', 'client-dynamodb + lib-dynamodb, Logger, zod'],
  ] as const) {
    const ratio = times[libraries]! / times[floor]!;
    line(`3. (figure) ${libraries}`, ms(libraries), ms(floor), ratio, 'report', true);
  }
  for (const name of Object.keys(bundles)) {
    const floor = name === 'execute' ? 'only @aws-sdk/client-lambda' : 'only @aws-sdk/client-dynamodb';
    const ratio = times[name]! / times[floor]!;
    line(`3. module load: ${name} bundle`, ms(name), ms(floor), ratio, '<= 1.1', ratio <= 1.1);
  }
}
