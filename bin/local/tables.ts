// Creates the service tables in DynamoDB Local from the same registry the CDK stack reads,
// so local and cloud tables cannot drift apart.
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import { SERVICES, type ServiceName, type TableIndex } from '#connectors/contracts/registry';

export type TableShape = { readonly indexes: readonly TableIndex[] };

export const DEFAULT_TABLE_PREFIX = 'mozaiks';

const toGsi = (index: TableIndex): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
  ],
  Projection: { ProjectionType: 'ALL' },
});

/** Every key attribute (table and indexes) is a string, as the catalogue promises. */
function attributeDefinitions(entry: TableShape): AttributeDefinition[] {
  const names = new Set(['pk', 'sk']);
  for (const index of entry.indexes) {
    names.add(index.partitionKey);
    if (index.sortKey) names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

/** How long one table may take to become ready (its creation, then each index a service gained). */
export const TABLE_READY_TIMEOUT_MS = 60_000;

/**
 * Errors worth another try: 5xx (DynamoDB Local answers InternalFailure while it builds an index on a busy
 * machine), throttling, timeouts and connection resets; the SDK's own classification decides.
 */
export const isTransient = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const sdkError = error as SdkError;
  return isTransientError(sdkError) || isThrottlingError(sdkError) || isServerError(sdkError);
};

const messageOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Runs an idempotent step until it succeeds, retrying transient failures with capped exponential backoff
 * until the deadline, then fails naming the table and the last error.
 */
async function retrying<T>(TableName: string, deadline: number, step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const pause = Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (Date.now() + pause > deadline) {
        throw new Error(`table ${TableName} not ready before its deadline; last error: ${messageOf(error)}`, { cause: error });
      }
      await sleep(pause);
    }
  }
}

async function describe(client: DynamoDBClient, TableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

const isReady = (table: TableDescription | undefined): table is TableDescription =>
  table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');

const describeState = (table: TableDescription | undefined): string =>
  table ? `${table.TableStatus}, indexes ${(table.GlobalSecondaryIndexes ?? []).map((gsi) => `${gsi.IndexName} ${gsi.IndexStatus}`).join(', ') || 'none'}` : 'missing';

/** Our own short poll: the SDK waiter's 20 s minimum delay is made for the cloud, not a local jar. */
async function waitUntilActive(client: DynamoDBClient, TableName: string, deadline: number): Promise<TableDescription> {
  for (;;) {
    const table = await retrying(TableName, deadline, () => describe(client, TableName));
    if (isReady(table)) return table;
    if (Date.now() > deadline) throw new Error(`table ${TableName} not ACTIVE before its deadline (still ${describeState(table)})`);
    await sleep(100);
  }
}

async function createIfMissing(client: DynamoDBClient, TableName: string, entry: TableShape): Promise<void> {
  if (await describe(client, TableName)) return;
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(entry),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        ...(entry.indexes.length > 0 ? { GlobalSecondaryIndexes: entry.indexes.map(toGsi) } : {}),
      }),
    );
  } catch (error) {
    // Another process (or an earlier attempt whose answer was lost) created it: that's the state we wanted.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** Adds one index unless the table already has it (an earlier attempt may have added it and lost the answer). */
async function addIndexIfMissing(client: DynamoDBClient, TableName: string, entry: TableShape, index: TableIndex): Promise<void> {
  const table = await describe(client, TableName);
  if ((table?.GlobalSecondaryIndexes ?? []).some((gsi) => gsi.IndexName === index.name)) return;
  await client.send(
    new UpdateTableCommand({
      TableName,
      AttributeDefinitions: attributeDefinitions(entry),
      GlobalSecondaryIndexUpdates: [{ Create: toGsi(index) }],
    }),
  );
}

async function ensureTable(client: DynamoDBClient, TableName: string, entry: TableShape, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Each step is idempotent, so a transient failure is answered by running that step again.
  await retrying(TableName, deadline, () => createIfMissing(client, TableName, entry));
  await waitUntilActive(client, TableName, deadline);

  // Data under .local/ outlives code changes: add indexes the registry gained since the table was made
  // (DynamoDB accepts one GSI creation per UpdateTable).
  for (const index of entry.indexes) {
    await retrying(TableName, deadline, () => addIndexIfMissing(client, TableName, entry, index));
    await waitUntilActive(client, TableName, deadline);
  }
}

/** Creates `${prefix}-${name}` for each service (default: the registry's) if missing and returns each one's table name. Safe to run on every start. */
export async function createTables<Name extends string = ServiceName>(
  client: DynamoDBClient,
  prefix: string = DEFAULT_TABLE_PREFIX,
  services: Readonly<Record<Name, TableShape>> = SERVICES as unknown as Record<Name, TableShape>,
  timeoutMs: number = TABLE_READY_TIMEOUT_MS,
): Promise<Record<Name, string>> {
  const names = {} as Record<Name, string>;
  for (const name of Object.keys(services) as Name[]) {
    names[name] = `${prefix}-${name}`;
    await ensureTable(client, names[name], services[name], timeoutMs);
  }
  return names;
}
