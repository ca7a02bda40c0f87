// The table port every service store is written against, once: get an item, query a partition by
// sort-key prefix, and write several items atomically, each under a condition from a small vocabulary.
// Two implementations keep items under the same keys: DynamoDB (dynamo-table.ts) and memory
// (memory-table.ts, mock mode and tests). The contract suites run every store over both.
import type { Page, PageRequest } from './paging.ts';

export interface Key {
  pk: string;
  sk: string;
}

/**
 * What a write may require of the item it touches, or a query of the items it keeps.
 * `exists`/`notExists` are about the item; the others about one attribute, and are false when the
 * attribute (or the item) is missing, except `missing` itself.
 */
export type Condition =
  | { op: 'exists' | 'notExists' }
  | { op: 'eq' | 'ne'; attr: string; value: string | number | boolean }
  | { op: 'lt' | 'gt'; attr: string; value: string | number }
  | { op: 'missing'; attr: string }
  | { op: 'beginsWith'; attr: string; value: string }
  | { op: 'contains'; attr: string; value: string }
  | { op: 'and' | 'or'; of: Condition[] };

export const when = {
  exists: (): Condition => ({ op: 'exists' }),
  notExists: (): Condition => ({ op: 'notExists' }),
  eq: (attr: string, value: string | number | boolean): Condition => ({ op: 'eq', attr, value }),
  ne: (attr: string, value: string | number | boolean): Condition => ({ op: 'ne', attr, value }),
  below: (attr: string, value: string | number): Condition => ({ op: 'lt', attr, value }),
  above: (attr: string, value: string | number): Condition => ({ op: 'gt', attr, value }),
  missing: (attr: string): Condition => ({ op: 'missing', attr }),
  beginsWith: (attr: string, value: string): Condition => ({ op: 'beginsWith', attr, value }),
  contains: (attr: string, value: string): Condition => ({ op: 'contains', attr, value }),
  and: (...of: Condition[]): Condition => ({ op: 'and', of }),
  or: (...of: Condition[]): Condition => ({ op: 'or', of }),
};

/** One item of an atomic write. */
export type Write =
  /** Replaces the whole item. */
  | { kind: 'put'; key: Key; item: object; if?: Condition }
  /** Sets attributes (undefined removes one) and adds to numbers (a missing number counts as 0). */
  | { kind: 'update'; key: Key; set?: Record<string, unknown>; add?: Record<string, number>; if?: Condition }
  | { kind: 'delete'; key: Key; if?: Condition }
  /** Writes nothing: only its condition must hold. */
  | { kind: 'check'; key: Key; if: Condition };

export const put = (key: Key, item: object, condition?: Condition): Write => ({ kind: 'put', key, item, if: condition });
export const update = (key: Key, changes: { set?: Record<string, unknown>; add?: Record<string, number> }, condition?: Condition): Write => ({
  kind: 'update',
  key,
  ...changes,
  if: condition,
});
export const remove = (key: Key, condition?: Condition): Write => ({ kind: 'delete', key, if: condition });
export const check = (key: Key, condition: Condition): Write => ({ kind: 'check', key, if: condition });

export type WriteOutcome =
  /** `item`: a lone update's item as it is after the write (e.g. a counter's new value). */
  | { ok: true; item?: Record<string, unknown> }
  /** `failed[i]`: write i's condition did not hold; `raced`: a concurrent transaction got in the way. Nothing was written. */
  | { ok: false; failed: boolean[]; raced: boolean };

export interface QueryOptions {
  /** Reverse key order (time-ordered ids: newest first). */
  newestFirst?: boolean;
  /** Items the page skips; a filtered page is still full unless the list ends. */
  filter?: Condition;
}

export interface Table {
  /** The item without its keys; a consistent read. */
  get<T>(key: Key): Promise<T | undefined>;
  /**
   * One page of the partition's items whose sort key starts with `prefix`, after the cursor. A page is
   * full unless the list ends, and has a cursor (its last sort key) only when more items follow.
   */
  query<T>(pk: string, prefix: string, page: PageRequest, options?: QueryOptions): Promise<Page<T>>;
  /** Every item under the prefix, for sets read whole (a tenant's roles, its usage counters). */
  all<T>(pk: string, prefix: string): Promise<T[]>;
  count(pk: string, prefix: string): Promise<number>;
  /**
   * One page of the sort keys under the prefix, in key order (the cursor as `query`'s): items come
   * without their keys, so this is how a partition is deleted item by item (removing a tenant).
   */
  keys(pk: string, prefix: string, page: PageRequest): Promise<Page<string>>;
  /** All the writes or none. */
  write(writes: Write[]): Promise<WriteOutcome>;
}

/** Writes, or throws the store's own error for the failure (which writes failed, whether it raced). */
export async function writeOrThrow(table: Table, writes: Write[], explain: (failed: boolean[], raced: boolean) => Error): Promise<Record<string, unknown> | undefined> {
  const outcome = await table.write(writes);
  if (!outcome.ok) throw explain(outcome.failed, outcome.raced);
  return outcome.item;
}
