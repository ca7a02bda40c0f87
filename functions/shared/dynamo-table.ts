// What every service's DynamoDB store does the same way: tenant-first keys, consistent reads that
// drop the keys, prefix queries with sort-key cursors, and conditional writes whose failures the
// store answers with its own errors. The conditions and their meaning stay in each store.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conflict } from '#connectors/wire';
import { decodeCursor, encodeCursor, tenantPk } from './keys.ts';
import type { Page, PageRequest } from './paging.ts';

export type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
export type Filter = Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;
type QueryInput = Omit<QueryCommandInput, 'TableName' | 'KeyConditionExpression'>;

/** Items read per query while a filter skips some (a query's Limit counts items read, not items kept). */
const FILTERED_READ = 100;

export const key = (tenantId: string, sk: string) => ({ pk: tenantPk(tenantId), sk });
type Stored<T> = T & { pk: string; sk: string };
export const stored = <T extends object>(tenantId: string, sk: string, item: T): Stored<T> => ({ ...key(tenantId, sk), ...item });

/** Which transaction items failed their condition (in request order); undefined if this is not a cancelled transaction. */
export function failedConditions(error: unknown): boolean[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code === 'ConditionalCheckFailed');
}
/** Another transaction held one of the items. */
const raced = (error: unknown) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
/** A transaction lost to a failed condition or to a concurrent transaction on the same items. */
export const lostRace = (error: unknown): boolean => Boolean(failedConditions(error)?.some(Boolean)) || raced(error);

export type ListOptions = { newestFirst: boolean } & ({ fill?: false } | { fill: true; filter?: Filter });

export interface TableOptions {
  /** The store's CONFLICT message for a transaction lost to a concurrent one. */
  changedConcurrently: string;
  /** Attributes the store writes for its own queries and never returns. */
  internal?: string[];
}

export function createDynamoTable(db: DynamoDBDocumentClient, tableName: string, { changedConcurrently, internal = [] }: TableOptions) {
  const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = item;
    for (const name of internal) delete rest[name];
    return rest as T;
  };

  const get = async <T>(tenantId: string, sk: string) =>
    strip<T>((await db.send(new GetCommand({ TableName: tableName, Key: key(tenantId, sk), ConsistentRead: true }))).Item);

  const query = (tenantId: string, prefix: string, input: QueryInput) =>
    db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...input,
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix, ...input.ExpressionAttributeValues },
      }),
    );

  /**
   * One page under a sort-key prefix, after the cursor's key. Plain: one query of `limit` items, and the
   * cursor is where DynamoDB stopped (which may lead to an empty page). With `fill`: reads one item past
   * the page, and on while a filter skips items, so a page is full unless the list ends and the cursor
   * (the last shown sort key) is given only when there is more to show.
   */
  async function list<T>(tenantId: string, prefix: string, { limit, cursor }: PageRequest, options: ListOptions): Promise<Page<T>> {
    const filter = options.fill ? options.filter : undefined;
    const items: Record<string, unknown>[] = [];
    let start = decodeCursor(cursor, prefix);
    do {
      const result = await query(tenantId, prefix, {
        ...filter,
        ScanIndexForward: !options.newestFirst,
        Limit: !options.fill ? limit : filter ? FILTERED_READ : limit + 1 - items.length,
        ...(start !== undefined && { ExclusiveStartKey: key(tenantId, start) }),
      });
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey?.sk as string | undefined;
    } while (options.fill && items.length <= limit && start !== undefined);
    const shown = items.slice(0, limit);
    const next = !options.fill ? start : items.length > limit ? (shown.at(-1)?.sk as string | undefined) : undefined;
    return { items: shown.map((item) => strip<T>(item)!), ...(next && { nextCursor: encodeCursor(next) }) };
  }

  /** Every page of a query under the prefix, for sets read whole (a tenant's roles, its usage counters). */
  async function queryAll(tenantId: string, prefix: string, input: QueryInput) {
    const results = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await query(tenantId, prefix, { ...input, ...(start && { ExclusiveStartKey: start }) });
      results.push(result);
      start = result.LastEvaluatedKey;
    } while (start);
    return results;
  }
  const all = async <T>(tenantId: string, prefix: string, { consistent = false } = {}) =>
    (await queryAll(tenantId, prefix, consistent ? { ConsistentRead: true } : {})).flatMap((result) => (result.Items ?? []).map((item) => strip<T>(item)!));
  const count = async (tenantId: string, prefix: string) =>
    (await queryAll(tenantId, prefix, { Select: 'COUNT' })).reduce((sum, result) => sum + (result.Count ?? 0), 0);

  /** Sends a conditional put or update; false when its condition failed, for the store to answer. */
  async function conditionalWrite(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      // Two calls, as send is typed for one command type at a time.
      await (command instanceof PutCommand ? db.send(command) : db.send(command));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Writes the items in one transaction. Failed conditions (by item, in request order) are the store's
   * to explain, told whether a concurrent transaction got in the way too; losing only to a concurrent
   * transaction is a CONFLICT like any lost race.
   */
  async function transact(items: TransactItems, onFailed: (failed: boolean[], raced: boolean) => never): Promise<void> {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.some(Boolean)) onFailed(failed, raced(error));
      if (raced(error)) throw conflict(changedConcurrently);
      throw error;
    }
  }

  return { get, list, all, count, conditionalWrite, transact };
}
