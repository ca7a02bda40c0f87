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

async function describe(client: DynamoDBClient, TableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Our own short poll: the SDK waiter's 20 s minimum delay is made for the cloud, not a local jar. */
async function waitUntilActive(client: DynamoDBClient, TableName: string, timeoutMs = 60_000): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // DynamoDB Local sometimes answers a 500 InternalFailure while it builds an index on a busy machine: poll on.
    const table = await describe(client, TableName).catch((error: unknown) => {
      if ((error as { $fault?: string }).$fault === 'server' && Date.now() < deadline) return undefined;
      throw error;
    });
    const ready =
      table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
    if (table && ready) return table;
    if (Date.now() > deadline) throw new Error(`table ${TableName} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function ensureTable(client: DynamoDBClient, TableName: string, entry: TableShape): Promise<void> {
  if (!(await describe(client, TableName))) {
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
      // Another process created it between describe and create: that's the state we wanted.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  const table = await waitUntilActive(client, TableName);

  // Data under .local/ outlives code changes: add indexes the catalogue gained since the table was made
  // (DynamoDB accepts one GSI creation per UpdateTable).
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName));
  for (const index of entry.indexes) {
    if (existing.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: attributeDefinitions(entry),
        GlobalSecondaryIndexUpdates: [{ Create: toGsi(index) }],
      }),
    );
    await waitUntilActive(client, TableName);
  }
}

/** Creates `${prefix}-${name}` for each service (default: the registry's) if missing and returns each one's table name. Safe to run on every start. */
export async function createTables<Name extends string = ServiceName>(
  client: DynamoDBClient,
  prefix: string = DEFAULT_TABLE_PREFIX,
  services: Readonly<Record<Name, TableShape>> = SERVICES as unknown as Record<Name, TableShape>,
): Promise<Record<Name, string>> {
  const names = {} as Record<Name, string>;
  for (const name of Object.keys(services) as Name[]) {
    names[name] = `${prefix}-${name}`;
    await ensureTable(client, names[name], services[name]);
  }
  return names;
}
