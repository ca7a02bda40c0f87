// The table port on DynamoDB: conditions become condition and filter expressions, a lone write is one
// conditional Put/Update/Delete (one write unit) and several are one TransactWriteItems. Pages are
// consistent prefix queries whose cursor carries only the sort key.
import { ConditionalCheckFailedException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './keys.ts';
import type { Page, PageRequest } from './paging.ts';
import type { Condition, Key, QueryOptions, Table, Write, WriteOutcome } from './table.ts';

/** Items read per query while a filter skips some (a query's Limit counts items read, not items kept). */
const FILTERED_READ = 100;

/** Placeholders of one request: `#n0` for names, `:v0` for values, so no attribute name can clash with a reserved word. */
export class Expressions {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  name(attr: string): string {
    const existing = Object.entries(this.names).find(([, name]) => name === attr)?.[0];
    if (existing) return existing;
    const placeholder = `#n${Object.keys(this.names).length}`;
    this.names[placeholder] = attr;
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** The expression of a condition; DynamoDB refuses redundant parentheses, so only nested compounds get them. */
  condition(condition: Condition, nested = false): string {
    const group = (text: string) => (nested ? `(${text})` : text);
    switch (condition.op) {
      case 'exists':
        return 'attribute_exists(pk)';
      case 'notExists':
        return 'attribute_not_exists(pk)';
      case 'and':
      case 'or':
        return group(condition.of.map((part) => this.condition(part, true)).join(condition.op === 'and' ? ' AND ' : ' OR '));
      case 'missing':
        return `attribute_not_exists(${this.name(condition.attr)})`;
      case 'eq':
        return `${this.name(condition.attr)} = ${this.value(condition.value)}`;
      // `<>` alone is true for a missing attribute; the port says false.
      case 'ne':
        return group(`attribute_exists(${this.name(condition.attr)}) AND ${this.name(condition.attr)} <> ${this.value(condition.value)}`);
      case 'lt':
        return `${this.name(condition.attr)} < ${this.value(condition.value)}`;
      case 'gt':
        return `${this.name(condition.attr)} > ${this.value(condition.value)}`;
      case 'beginsWith':
        return `begins_with(${this.name(condition.attr)}, ${this.value(condition.value)})`;
      case 'contains':
        return `contains(${this.name(condition.attr)}, ${this.value(condition.value)})`;
    }
  }

  update(set: Record<string, unknown> = {}, add: Record<string, number> = {}): string {
    const assigned = Object.entries(set).filter(([, value]) => value !== undefined);
    const removed = Object.entries(set).filter(([, value]) => value === undefined);
    const clauses = [
      assigned.length > 0 && `SET ${assigned.map(([name, value]) => `${this.name(name)} = ${this.value(value)}`).join(', ')}`,
      Object.keys(add).length > 0 && `ADD ${Object.entries(add).map(([name, amount]) => `${this.name(name)} ${this.value(amount)}`).join(', ')}`,
      removed.length > 0 && `REMOVE ${removed.map(([name]) => this.name(name)).join(', ')}`,
    ];
    return clauses.filter(Boolean).join(' ');
  }

  /** The names and values to send, leaving out empty maps (DynamoDB refuses them). */
  attributes() {
    return {
      ...(Object.keys(this.names).length > 0 && { ExpressionAttributeNames: this.names }),
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: this.values }),
    };
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write as one TransactWriteItems entry (a lone write sends the same fields as its own command). */
export function toTransactItem(TableName: string, write: Write): TransactItem {
  const expressions = new Expressions();
  const condition = write.if && { ConditionExpression: expressions.condition(write.if) };
  switch (write.kind) {
    case 'put':
      return { Put: { TableName, Item: { ...write.item, ...write.key }, ...condition, ...expressions.attributes() } };
    case 'delete':
      return { Delete: { TableName, Key: write.key, ...condition, ...expressions.attributes() } };
    case 'check':
      return { ConditionCheck: { TableName, Key: write.key, ConditionExpression: condition!.ConditionExpression, ...expressions.attributes() } };
    case 'update': {
      const UpdateExpression = expressions.update(write.set, write.add);
      return { Update: { TableName, Key: write.key, UpdateExpression, ...condition, ...expressions.attributes() } };
    }
  }
}

const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** The partition, and the sort-key prefix unless it is empty (DynamoDB refuses an empty key value): all of it. */
const keyCondition = (expressions: Expressions, pk: string, prefix: string) =>
  prefix === '' ? `pk = ${expressions.value(pk)}` : `pk = ${expressions.value(pk)} AND begins_with(sk, ${expressions.value(prefix)})`;

export function createDynamoTable(db: DynamoDBDocumentClient, tableName: string): Table {
  /** Every page of a prefix query, to the end: for sets read whole and for counts. */
  async function* pages(pk: string, prefix: string, input: Partial<QueryCommandInput>) {
    let start: Record<string, unknown> | undefined;
    do {
      const expressions = new Expressions();
      const KeyConditionExpression = keyCondition(expressions, pk, prefix);
      const result = await db.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression, ...expressions.attributes(), ...input, ...(start && { ExclusiveStartKey: start }) }),
      );
      yield result;
      start = result.LastEvaluatedKey;
    } while (start);
  }

  /** The lone write as its own command: one write unit instead of a transaction's two. */
  async function single(write: Write): Promise<WriteOutcome> {
    const item = toTransactItem(tableName, write);
    try {
      if (item.Put) await db.send(new PutCommand(item.Put));
      else if (item.Delete) await db.send(new DeleteCommand(item.Delete));
      else if (item.Update) {
        const result = await db.send(new UpdateCommand({ ...item.Update, ReturnValues: 'ALL_NEW' }));
        return { ok: true, ...(result.Attributes && { item: withoutKeys(result.Attributes) }) };
      } else return transaction([write]);
      return { ok: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { ok: false, failed: [true], raced: false };
      // A lone write on an item a transaction holds at that moment: a lost race, like a transaction's.
      if (error instanceof TransactionConflictException) return { ok: false, failed: [false], raced: true };
      throw error;
    }
  }

  async function transaction(writes: Write[]): Promise<WriteOutcome> {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: writes.map((write) => toTransactItem(tableName, write)) }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = writes.map((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
      const raced = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!failed.some(Boolean) && !raced) throw error;
      return { ok: false, failed, raced };
    }
  }

  /**
   * One page of a partition's items under `prefix`, raw (keys included), and the cursor when more follow.
   * It reads one item past the page to know whether another follows; a filter, or the 1 MB cap of a
   * read, may need more reads to fill it. `keysOnly` projects the sort key alone.
   */
  async function readPage(
    pk: string,
    prefix: string,
    { limit, cursor }: PageRequest,
    { newestFirst = false, filter, keysOnly = false }: QueryOptions & { keysOnly?: boolean },
  ): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> {
    const expressions = new Expressions();
    const KeyConditionExpression = keyCondition(expressions, pk, prefix);
    const FilterExpression = filter && expressions.condition(filter);
    const items: Record<string, unknown>[] = [];
    let start = decodeCursor(cursor, prefix);
    do {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression,
          ...(FilterExpression && { FilterExpression }),
          ...expressions.attributes(),
          ...(keysOnly && { ProjectionExpression: 'sk' }),
          ConsistentRead: true,
          ScanIndexForward: !newestFirst,
          Limit: filter ? FILTERED_READ : limit + 1 - items.length,
          ...(start !== undefined && { ExclusiveStartKey: { pk, sk: start } }),
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey?.sk as string | undefined;
    } while (items.length <= limit && start !== undefined);
    const shown = items.slice(0, limit);
    return { items: shown, ...(items.length > limit && { nextCursor: encodeCursor(shown.at(-1)!.sk as string) }) };
  }

  return {
    async get<T>(key: Key) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return Item && withoutKeys<T>(Item);
    },

    async query<T>(pk: string, prefix: string, page: PageRequest, options: QueryOptions = {}): Promise<Page<T>> {
      const { items, nextCursor } = await readPage(pk, prefix, page, options);
      return { items: items.map((item) => withoutKeys<T>(item)), ...(nextCursor !== undefined && { nextCursor }) };
    },

    async all<T>(pk: string, prefix: string) {
      const items: T[] = [];
      for await (const page of pages(pk, prefix, { ConsistentRead: true })) items.push(...(page.Items ?? []).map((item) => withoutKeys<T>(item)));
      return items;
    },

    async count(pk, prefix) {
      let total = 0;
      for await (const page of pages(pk, prefix, { Select: 'COUNT' })) total += page.Count ?? 0;
      return total;
    },

    async keys(pk, prefix, page) {
      const { items, nextCursor } = await readPage(pk, prefix, page, { keysOnly: true });
      return { items: items.map((item) => item.sk as string), ...(nextCursor !== undefined && { nextCursor }) };
    },

    write: (writes) => (writes.length === 1 ? single(writes[0]!) : transaction(writes)),
  };
}
