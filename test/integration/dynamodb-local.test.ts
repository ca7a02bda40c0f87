import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '#connectors/contracts/registry';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables, type TableShape } from '#local/tables';

const clientFor = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

// A killed JVM re-parented to an init that reaps slowly lingers as a zombie: count that as gone.
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

const waitFor = async (check: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return check();
};

describe('DynamoDB Local + createTables', () => {
  let dataDir: string;
  let ddb: DynamoDbLocal | undefined;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'mozaiks-ddb-')), 'nested', 'data');
    ddb = await startDynamoDbLocal({ port: 0, dataDir });
    client = clientFor(ddb.endpoint);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
    if (dataDir) await rm(join(dataDir, '..', '..'), { recursive: true, force: true });
  }, 30_000);

  it('answers on the endpoint and keeps its data file under dataDir', async () => {
    expect(ddb?.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
    expect(await readdir(dataDir)).toContain('shared-local-instance.db');
  });

  it('creates one table per registry service with pk/sk string keys, on demand billing', async () => {
    const env = await createTables(client);
    const expected = Object.fromEntries(SERVICE_NAMES.map((name) => [name, `mozaiks-${name}`]));
    expect(env).toEqual(expected);
    for (const tableName of Object.values(env)) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    }
  });

  it('is idempotent and honours the prefix', async () => {
    const first = await createTables(client, 'again');
    await expect(createTables(client, 'again')).resolves.toEqual(first);
    expect(Object.values(first).every((name) => name.startsWith('again-'))).toBe(true);
  });

  it('creates GSIs with ALL projection, and adds indexes a service gained later', async () => {
    await createTables(client, 'gsi', { orders: { indexes: [] } });
    const withIndexes: TableShape = {
      indexes: [
        { name: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
        { name: 'byOwner', partitionKey: 'owner' },
      ],
    };
    await expect(createTables(client, 'gsi', { orders: withIndexes })).resolves.toEqual({ orders: 'gsi-orders' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'gsi-orders' }));
    const gsis = Object.fromEntries((Table?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g]));
    expect(Object.keys(gsis).sort()).toEqual(['byOwner', 'byStatus']);
    expect(gsis['byStatus']?.KeySchema).toEqual([
      { AttributeName: 'gsi1pk', KeyType: 'HASH' },
      { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
    ]);
    expect(gsis['byOwner']?.Projection?.ProjectionType).toBe('ALL');
    expect(gsis['byOwner']?.IndexStatus).toBe('ACTIVE');
  });

  it('keeps data across a restart on the same dataDir, and stop() ends the JVM', async () => {
    const { hosting: table } = await createTables(client);
    const Key = { pk: { S: 'T#t1#X' }, sk: { S: 'A' } };
    await client.send(new PutItemCommand({ TableName: table, Item: { ...Key, v: { S: 'kept' } } }));

    const pid = ddb?.pid;
    await ddb?.stop();
    await ddb?.stop(); // second stop is a no-op
    expect(pid !== undefined && isAlive(pid)).toBe(false);

    client.destroy();
    ddb = await startDynamoDbLocal({ dataDir });
    client = clientFor(ddb.endpoint);
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key }));
    expect(Item?.['v']).toEqual({ S: 'kept' });
  }, 60_000);
});

describe('startup failure', () => {
  it('reports the JVM output when DynamoDB Local dies before answering (port taken)', async () => {
    const busy = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => busy.listen(0, done));
    const { port } = busy.address() as AddressInfo;
    try {
      await expect(startDynamoDbLocal({ port, dataDir: '', inMemory: true })).rejects.toThrow(
        /exited before it was ready[\s\S]*Failed to bind/,
      );
    } finally {
      await new Promise((done) => busy.close(done));
    }
  }, 30_000);
});

describe('the JVM does not outlive its parent', () => {
  const fixture = fileURLToPath(new URL('./fixtures/start-dynamodb-local.ts', import.meta.url));

  const runParent = async (mode: 'signal' | 'exit'): Promise<number> => {
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => parent.once('exit', () => done()));
    const line = await new Promise<string>((resolveLine, reject) => {
      let text = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolveLine(text.split('\n')[0] ?? '');
      });
      parent.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const { pid } = JSON.parse(line) as { pid: number };
    if (mode === 'signal') parent.kill('SIGTERM');
    await exited;
    return pid;
  };

  it.each(['signal', 'exit'] as const)('parent ends by %s', async (mode) => {
    const javaPid = await runParent(mode);
    expect(await waitFor(() => !isAlive(javaPid), 5_000)).toBe(true);
  }, 60_000);
});
