// The performance goals of `npm run bench`: each figure against a floor measured in the same run on
// the same machine (absolute times of different runs do not compare on a shared, noisy machine).
//   1. one read action (get_app) through the local platform, p50 of sequential requests, against a bare
//      GetItem of the same item via the SDK on the same DynamoDB Local (data on disk, consistent read),
//      the two in turn;
//   2. get_app throughput at 32 connections against the same GetItem at 32 concurrent, in alternating rounds;
//   (a figure without a goal) mock mode: get_app against /api/health (no data, no auth);
//   3. module load of every Lambda bundle against a bundle of only the AWS SDK client it uses (and, as a
//      figure, that client with the libraries its handlers need);
//   6. the cost of a million read and write actions on AWS, from what this run measures (bin/bench-cost.ts).
// Goals 4 and 5 are counted in tests (README, "Performance").
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
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
import { startLocalPlatform, type LocalPlatform } from './local/platform.ts';
import { accessLogLineBytes, ASSUMED_INVOKE_ROUND_TRIP_MS, costPerMillion, emfLineBytes, watchDynamoDb, type ActionMeasure } from './bench-cost.ts';
import type { CallContext } from '#connectors/contracts/wire';

const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const line = (figure: string, value: string, floor: string, ratio: number, goal: string, met: boolean) =>
  console.log(`${figure.padEnd(62)} ${value.padStart(10)}  floor ${floor.padStart(10)}  ratio ${ratio.toFixed(2).padStart(5)}  goal ${goal.padEnd(7)} ${goal === 'report' ? '' : met ? 'met' : 'NOT MET'}`);

/** p50 of `count` sequential calls, after a warm-up. */
async function sequentialP50(count: number, call: () => Promise<unknown>, warmUp = 50): Promise<number> {
  for (let i = 0; i < warmUp; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** p50 of each of two calls made in turn, `count` times each, after a warm-up of both. */
async function interleavedP50(count: number, first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < 300 + count; i++) {
    for (const [index, call] of [first, second].entries()) {
      const started = performance.now();
      await call();
      if (i >= 300) times[index]!.push(performance.now() - started);
    }
  }
  return [median(times[0]), median(times[1])];
}

/** POSTs JSON and reads the whole answer; rejects on a status other than 200. */
function postJson(url: string, token: string, body: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
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
      // A keep-alive HTTP/1.1 client, as a browser or autocannon keeps its connection: fetch's own
      // machinery (undici, web streams) cost about 0.5 ms a request in a profile, on the client's side.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const getApp = () => postJson(`${platform.url}/api/execute/moz.platform.hosting`, platform.demoToken, body, agent);
      // Interleaved, so both see DynamoDB Local's JVM in the same state (it keeps warming for minutes).
      const [floorP50, p50] = await interleavedP50(500, getItem, getApp);
      agent.destroy();
      line('1. get_app p50, sequential', `${p50.toFixed(2)} ms`, `${floorP50.toFixed(2)} ms`, p50 / floorP50, '<= 1.5', p50 / floorP50 <= 1.5);

      // Alternating rounds after a warm-up of both, so both see DynamoDB Local's JVM in the same state.
      const platformLoad = async (duration: number) => {
        const load = await autocannon({
          url: `${platform.url}/api/execute/moz.platform.hosting`,
          method: 'POST',
          headers: { authorization: `Bearer ${platform.demoToken}`, 'content-type': 'application/json' },
          body,
          connections: 32,
          duration,
        });
        return { done: load.requests.total, errors: load.non2xx + load.errors };
      };
      await concurrentRate(32, 1, getItem);
      await platformLoad(1);
      const totals = { floor: 0, floorErrors: 0, platform: 0, errors: 0 };
      for (let round = 0; round < 2; round++) {
        const floorRound = await concurrentRate(32, seconds / 2, getItem);
        totals.floor += floorRound.rate * (seconds / 2);
        totals.floorErrors += floorRound.errors;
        const platformRound = await platformLoad(seconds / 2);
        totals.platform += platformRound.done;
        totals.errors += platformRound.errors;
      }
      const rate = totals.platform / seconds;
      const floorRate = { rate: totals.floor / seconds, errors: totals.floorErrors };
      const errors = totals.errors;
      line(
        '2. get_app req/s at 32 connections',
        `${Math.round(rate)}/s`,
        `${Math.round(floorRate.rate)}/s`,
        rate / floorRate.rate,
        '>= 0.7',
        rate / floorRate.rate >= 0.7 && errors === 0,
      );
      if (errors > 0 || floorRate.errors > 0) console.log(`   errors: platform ${errors}, floor ${floorRate.errors}`);

      await costGoal(platform, appId, p50);
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

/**
 * Goal 6: per action, the DynamoDB capacity (counted on the wire over 100 calls), the execute
 * function's time (p50 over HTTP, which waits for the service) and the service's (p50 of its handler
 * in-process over the same DynamoDB Local), the log bytes, and what a million of them cost on AWS.
 */
async function costGoal(platform: LocalPlatform, appId: string, getAppP50: number): Promise<void> {
  const post = async (body: unknown) => {
    const res = await fetch(`${platform.url}/api/execute/moz.platform.hosting`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.demoToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${(body as { action: string }).action} answered ${res.status}`);
    return (await res.json()) as { data: { appId: string } };
  };
  const units = async (count: number, call: (i: number) => Promise<unknown>) => {
    const watch = watchDynamoDb();
    for (let i = 0; i < count; i++) await call(i);
    await new Promise((done) => setTimeout(done, 200)); // metering events are sent after the answer
    const { readUnits, writeUnits, uncounted, calls } = watch.stop();
    if (uncounted > 0) console.log(`   note: ${uncounted} DynamoDB calls sized by their answers were not counted (${JSON.stringify(calls)})`);
    return { readUnits: readUnits / count, writeUnits: writeUnits / count };
  };
  // The platform's own services, called as the execute handler calls them, without the HTTP and execute layers.
  const services = platform.connectors;
  const ctx: CallContext = { tenantId: 'demo', userId: 'demo-owner', roles: ['owner'], correlationId: 'bench' };

  const read: ActionMeasure = {
    name: 'read (get_app)',
    ...(await units(100, () => post({ action: 'get_app', appId }))),
    executeMs: getAppP50,
    serviceMs: await sequentialP50(200, () => services.hosting.getApp(ctx, { appId })),
  };
  // Writes: create_app, a transaction (the app, its slug claim, the tenant's count); 20 within the plan's apps.
  const writeTimes: number[] = [];
  const writeUnits = await units(10, async (i) => {
    const started = performance.now();
    await post({ action: 'create_app', name: `Bench ${i}`, slug: `bench-http-${i}` });
    writeTimes.push(performance.now() - started);
  });
  let n = 0;
  const write: ActionMeasure = {
    name: 'write (create_app)',
    ...writeUnits,
    executeMs: median(writeTimes),
    serviceMs: await sequentialP50(10, () => services.hosting.createApp(ctx, { name: `Bench ${n}`, slug: `bench-direct-${n++}` }), 0),
  };
  const logBytes = { standard: emfLineBytes(), infrequentAccess: accessLogLineBytes() };
  console.log(`\n6. cost per million actions on AWS: the stack's defaults, us-east-1 list prices, durations measured here plus ${ASSUMED_INVOKE_ROUND_TRIP_MS} ms for the Invoke round trip`);
  for (const action of [read, write]) {
    const cost = costPerMillion(action, logBytes);
    const untraced = costPerMillion(action, logBytes, false);
    console.log(`   ${action.name}: execute ${action.executeMs.toFixed(1)} ms, service ${action.serviceMs.toFixed(1)} ms`);
    for (const [item, dollars] of Object.entries(cost.items)) console.log(`     ${item.padEnd(62)} $${dollars.toFixed(3)}`);
    const goal = action === read ? `  goal <= $2.00 ${cost.total <= 2 ? 'met' : 'NOT MET'}; with -c xrayTracing=false $${untraced.total.toFixed(2)} ${untraced.total <= 2 ? 'met' : 'NOT MET'}` : '';
    console.log(`     ${'total'.padEnd(62)} $${cost.total.toFixed(2)}${goal}`);
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
