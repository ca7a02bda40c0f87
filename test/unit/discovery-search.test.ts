// The cost of Discovery's search index: what one search page reads and what one publish writes,
// counted on a memory table (the same keys and pages as DynamoDB).
import { describe, expect, it } from 'vitest';
import { createDiscoveryOperations, SEARCH_READ, SEARCH_READS_PER_PAGE } from '#functions/services/discovery/operations';
import { createDiscoveryStore } from '#functions/services/discovery/store';
import { MAX_WORDS, PREFIX_LENGTHS } from '#functions/services/discovery/search-index';
import { MAX_TAGS } from '#connectors/contracts/discovery';
import { createMemoryTable } from '#functions/shared/memory-table';
import type { Table } from '#functions/shared/table';
import { tenantContext } from '../support/contract-kit.ts';

function countingTable() {
  const inner = createMemoryTable();
  const counts = { queries: 0, gets: 0, itemsWritten: 0, largestWrite: 0 };
  const table: Table = {
    ...inner,
    get: (key) => (counts.gets++, inner.get(key)),
    query: (pk, prefix, page, options) => (counts.queries++, inner.query(pk, prefix, page, options)),
    write: (writes) => {
      counts.itemsWritten += writes.length;
      counts.largestWrite = Math.max(counts.largestWrite, writes.length);
      return inner.write(writes);
    },
  };
  const reset = () => Object.assign(counts, { queries: 0, gets: 0, itemsWritten: 0, largestWrite: 0 });
  return { table, counts, reset };
}

describe('Discovery search costs', () => {
  it('reads a bounded number of index items and listings per page, however many listings there are', async () => {
    const { table, counts, reset } = countingTable();
    let clock = Date.UTC(2030, 0, 1);
    const discovery = createDiscoveryOperations({ store: createDiscoveryStore(table), now: () => new Date((clock += 1000)) });
    const owner = tenantContext();
    const publish = (i: number, category: string) =>
      discovery.publishListing(owner, { appId: `app_${i}`, name: `Common thing ${i}`, tagline: '', description: '', category, tags: [] });
    const rare = await publish(0, 'rare');
    for (let i = 1; i <= 450; i++) await publish(i, 'usual');

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      reset();
      const page = await discovery.searchListings(owner, { q: 'common', category: 'rare', sort: 'newest', limit: 10, cursor });
      expect(counts.queries).toBeLessThanOrEqual(SEARCH_READS_PER_PAGE);
      expect(counts.gets).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((item) => item.appId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    // 451 index items in the "com" partition, at most 300 looked at per page: two pages, the match on the last.
    expect(pages).toBe(Math.ceil(451 / (SEARCH_READ * SEARCH_READS_PER_PAGE)));
    expect(seen).toEqual([rare.appId]);

    reset();
    const newest = await discovery.searchListings(owner, { sort: 'newest', limit: 20 });
    expect(newest.items.map((item) => item.appId)).toEqual(Array.from({ length: 20 }, (_, i) => `app_${450 - i}`));
    expect(counts).toMatchObject({ queries: 1, gets: 20 });
  });

  it('writes a bounded number of index items per publish, in writes of at most 100 items', async () => {
    const { table, counts, reset } = countingTable();
    const discovery = createDiscoveryOperations({ store: createDiscoveryStore(table) });
    const owner = tenantContext();
    const long = Array.from({ length: 30 }, (_, i) => `word${String.fromCharCode(97 + i % 26)}${i}abcdefghijk`).join(' ');
    const tags = Array.from({ length: MAX_TAGS }, (_, i) => `tag-${i}`);
    reset();
    await discovery.publishListing(owner, { appId: 'app_big', name: long.slice(0, 100), tagline: long.slice(0, 160), description: '', category: 'big', tags });
    // Per order: all listings, the category, each tag, each word-prefix token; plus the listing itself.
    const perOrder = 2 + MAX_TAGS + MAX_WORDS * PREFIX_LENGTHS.length;
    expect(counts.itemsWritten).toBeLessThanOrEqual(2 * perOrder + 1);
    expect(counts.largestWrite).toBeLessThanOrEqual(100);

    // Publishing again replaces every index item: the old ones are deleted, none is left behind.
    reset();
    await discovery.publishListing(owner, { appId: 'app_big', name: 'Small', tagline: '', description: '', category: 'big', tags: [] });
    const big = await discovery.searchListings(owner, { q: 'worda0', sort: 'newest', limit: 20 });
    expect(big.items).toEqual([]);
    expect((await discovery.searchListings(owner, { q: 'small', sort: 'rating', limit: 20 })).items.map((item) => item.appId)).toEqual(['app_big']);
  });
});
