// The in-memory twin of a service table for mock mode and unit tests: tenant -> sort key -> item, with
// the same sort keys the DynamoDB store uses. `read` and `write` clone, so no caller shares a stored
// object; `partition` hands out the stored ones, for a store's condition checks and in-place changes.
import { decodeCursor, encodeCursor } from './keys.ts';
import type { Page, PageRequest } from './paging.ts';

export interface ListOptions<T> {
  /** Reverse key order (time-ordered ids: newest first). */
  newestFirst: boolean;
  /** Items the page skips; a filtered page is still full unless the list ends. */
  keep?: (item: T) => boolean;
}

export function createMemoryTable<Item>() {
  const tenants = new Map<string, Map<string, Item>>();

  const partition = (tenantId: string) => {
    let items = tenants.get(tenantId);
    if (!items) tenants.set(tenantId, (items = new Map()));
    return items;
  };
  const read = <T extends Item>(tenantId: string, sk: string) => {
    const item = partition(tenantId).get(sk);
    return item === undefined ? undefined : (structuredClone(item) as T);
  };
  const write = (tenantId: string, sk: string, item: Item) => partition(tenantId).set(sk, structuredClone(item));

  /** One page under a sort-key prefix, after the cursor's key; the cursor is given only when more items match. */
  function list<T extends Item>(tenantId: string, prefix: string, { limit, cursor }: PageRequest, { newestFirst, keep }: ListOptions<T>): Page<T> {
    const after = decodeCursor(cursor, prefix);
    const keys = [...partition(tenantId).keys()].filter((sk) => sk.startsWith(prefix)).sort();
    if (newestFirst) keys.reverse();
    const matching = keys
      .filter((sk) => after === undefined || (newestFirst ? sk < after : sk > after))
      .filter((sk) => !keep || keep(partition(tenantId).get(sk) as T));
    const slice = matching.slice(0, limit);
    const last = slice.at(-1);
    return { items: slice.map((sk) => read<T>(tenantId, sk)!), ...(matching.length > limit && last && { nextCursor: encodeCursor(last) }) };
  }

  return { partition, read, write, list };
}
