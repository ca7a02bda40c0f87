// The in-memory table (mock mode, tests): partition -> sort key -> item, the same keys the DynamoDB
// table holds. A write checks every condition before it changes anything and never awaits in
// between, so on Node's single thread it is as atomic as a DynamoDB transaction. Reads and writes
// clone, so no caller ever shares a stored object.
import type { Condition, Key, QueryOptions, Table, Write } from './table.ts';
import { decodeCursor, encodeCursor } from './keys.ts';

type Item = Record<string, unknown>;

/** Whether `item` (undefined: there is none) meets `condition`, as DynamoDB decides it. */
export function holds(condition: Condition, item: Item | undefined): boolean {
  switch (condition.op) {
    case 'exists':
      return item !== undefined;
    case 'notExists':
      return item === undefined;
    case 'and':
      return condition.of.every((part) => holds(part, item));
    case 'or':
      return condition.of.some((part) => holds(part, item));
    case 'missing':
      return item?.[condition.attr] === undefined;
  }
  const actual = item?.[condition.attr];
  if (actual === undefined) return false;
  switch (condition.op) {
    case 'eq':
      return actual === condition.value;
    case 'ne':
      return actual !== condition.value;
    case 'lt':
      return typeof actual === typeof condition.value && (actual as string | number) < condition.value;
    case 'gt':
      return typeof actual === typeof condition.value && (actual as string | number) > condition.value;
    case 'beginsWith':
      return typeof actual === 'string' && actual.startsWith(condition.value);
    case 'contains':
      return (Array.isArray(actual) || typeof actual === 'string') && actual.includes(condition.value);
  }
}

const withoutKeys = <T>({ pk: _pk, sk: _sk, ...rest }: Item): T => structuredClone(rest) as T;
const defined = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

function applied(write: Write, current: Item | undefined): Item | undefined {
  switch (write.kind) {
    case 'put':
      return { ...defined(structuredClone(write.item) as Item), ...write.key };
    case 'delete':
      return undefined;
    case 'check':
      return current;
    case 'update': {
      const next: Item = { ...current, ...write.key };
      for (const [name, value] of Object.entries(write.set ?? {})) {
        if (value === undefined) delete next[name];
        else next[name] = structuredClone(value);
      }
      for (const [name, amount] of Object.entries(write.add ?? {})) next[name] = ((next[name] as number | undefined) ?? 0) + amount;
      return next;
    }
  }
}

/** Each memory table's partitions, for `memoryTableItems`. */
const contents = new WeakMap<Table, Map<string, Map<string, Item>>>();

/**
 * Every item a memory table holds, keys included (clones): the raw view a DynamoDB Scan gives, for tests
 * that check a table as a whole (a removed tenant leaves nothing behind). Not part of the port.
 */
export function memoryTableItems(table: Table): Item[] {
  const partitions = contents.get(table);
  if (!partitions) throw new Error('not a memory table');
  return [...partitions.values()].flatMap((items) => [...items.values()].map((item) => structuredClone(item)));
}

export function createMemoryTable(): Table {
  const partitions = new Map<string, Map<string, Item>>();
  const partition = (pk: string) => {
    let items = partitions.get(pk);
    if (!items) partitions.set(pk, (items = new Map()));
    return items;
  };
  const sortKeys = (pk: string, prefix: string, newestFirst = false) => {
    const keys = [...partition(pk).keys()].filter((sk) => sk.startsWith(prefix)).sort();
    return newestFirst ? keys.reverse() : keys;
  };

  const table: Table = {
    async get<T>({ pk, sk }: Key) {
      const item = partition(pk).get(sk);
      return item === undefined ? undefined : withoutKeys<T>(item);
    },

    async query<T>(pk: string, prefix: string, { limit, cursor }: { limit: number; cursor?: string }, { newestFirst = false, filter }: QueryOptions = {}) {
      const after = decodeCursor(cursor, prefix);
      const items = partition(pk);
      const matching = sortKeys(pk, prefix, newestFirst)
        .filter((sk) => after === undefined || (newestFirst ? sk < after : sk > after))
        .filter((sk) => !filter || holds(filter, items.get(sk)));
      const shown = matching.slice(0, limit);
      const last = shown.at(-1);
      return { items: shown.map((sk) => withoutKeys<T>(items.get(sk)!)), ...(matching.length > limit && last && { nextCursor: encodeCursor(last) }) };
    },

    async all<T>(pk: string, prefix: string) {
      return sortKeys(pk, prefix).map((sk) => withoutKeys<T>(partition(pk).get(sk)!));
    },

    async count(pk, prefix) {
      return sortKeys(pk, prefix).length;
    },

    async keys(pk, prefix, { limit, cursor }) {
      const after = decodeCursor(cursor, prefix);
      const matching = sortKeys(pk, prefix).filter((sk) => after === undefined || sk > after);
      const shown = matching.slice(0, limit);
      const last = shown.at(-1);
      return { items: shown, ...(matching.length > limit && last && { nextCursor: encodeCursor(last) }) };
    },

    async write(writes) {
      const current = writes.map(({ key }) => partition(key.pk).get(key.sk));
      const failed = writes.map((write, i) => write.if !== undefined && !holds(write.if, current[i]));
      if (failed.some(Boolean)) return { ok: false, failed, raced: false };
      let last: Item | undefined;
      writes.forEach((write, i) => {
        last = applied(write, current[i]);
        if (last === undefined) partition(write.key.pk).delete(write.key.sk);
        else partition(write.key.pk).set(write.key.sk, last);
      });
      const lone = writes.length === 1 && writes[0]!.kind === 'update' && last;
      return lone ? { ok: true, item: withoutKeys<Item>(last!) } : { ok: true };
    },
  };
  contents.set(table, partitions);
  return table;
}
