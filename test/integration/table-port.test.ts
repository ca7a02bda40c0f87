// The table port's promises, held by both implementations: the memory table must decide every
// condition, page and write exactly as DynamoDB Local does, since mock mode and the unit tests rely on it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { check, put, remove, update, when, type Condition, type Table } from '#functions/shared/table';
import { TABLE_KINDS, tableOf } from '../support/contract-kit.ts';

describe.each(TABLE_KINDS)('table port over the %s table', (kind) => {
  // Any registry table will do: the port is the same for all.
  const table: Table = tableOf(kind, 'hosting');
  const pk = () => `TEST#${randomUUID()}`;

  it('puts, gets (without keys) and deletes, under item conditions', async () => {
    const p = pk();
    const key = { pk: p, sk: 'A' };
    expect(await table.get(key)).toBeUndefined();
    expect(await table.write([put(key, { name: 'x', version: 1 }, when.notExists())])).toEqual({ ok: true });
    expect(await table.get(key)).toEqual({ name: 'x', version: 1 });
    expect(await table.write([put(key, { name: 'y' }, when.notExists())])).toEqual({ ok: false, failed: [true], raced: false });
    expect(await table.write([remove(key, when.eq('version', 2))])).toMatchObject({ ok: false });
    expect(await table.write([remove(key, when.eq('version', 1))])).toEqual({ ok: true });
    expect(await table.get(key)).toBeUndefined();
  });

  it.each<[string, Condition, boolean]>([
    ['eq', when.eq('status', 'open'), true],
    ['eq (other value)', when.eq('status', 'closed'), false],
    ['ne', when.ne('status', 'closed'), true],
    ['ne on a missing attribute', when.ne('nothing', 'x'), false],
    ['below a number', when.below('count', 3), true],
    ['below (equal)', when.below('count', 2), false],
    ['above a string', when.above('expiresAt', '2025-01-01'), true],
    ['above on a missing attribute', when.above('nothing', 1), false],
    ['missing', when.missing('revokedAt'), true],
    ['missing (present)', when.missing('status'), false],
    ['and', when.and(when.exists(), when.eq('status', 'open'), when.below('count', 5)), true],
    ['or', when.or(when.notExists(), when.eq('status', 'closed')), false],
    ['nested', when.or(when.and(when.eq('status', 'open'), when.ne('count', 2)), when.missing('status')), false],
  ])('decides %s as DynamoDB does', async (_, condition, holds) => {
    const key = { pk: pk(), sk: 'A' };
    await table.write([put(key, { status: 'open', count: 2, expiresAt: '2026-06-01T00:00:00Z' })]);
    expect((await table.write([check(key, condition)])).ok).toBe(holds);
  });

  it('writes several items all or nothing, and names the one whose condition failed', async () => {
    const p = pk();
    await table.write([put({ pk: p, sk: 'COUNT' }, { count: 1 })]);
    const outcome = await table.write([
      put({ pk: p, sk: 'A' }, { v: 1 }, when.notExists()),
      update({ pk: p, sk: 'COUNT' }, { add: { count: 1 } }, when.below('count', 1)),
      check({ pk: p, sk: 'B' }, when.notExists()),
    ]);
    expect(outcome).toEqual({ ok: false, failed: [false, true, false], raced: false });
    expect(await table.get({ pk: p, sk: 'A' })).toBeUndefined();
    expect(await table.get({ pk: p, sk: 'COUNT' })).toEqual({ count: 1 });
  });

  it('sets, removes and adds in an update, and answers a lone update with the item after it', async () => {
    const key = { pk: pk(), sk: 'U' };
    expect(await table.write([update(key, { set: { month: '2026-11' }, add: { used: 5 } })])).toEqual({ ok: true, item: { month: '2026-11', used: 5 } });
    await table.write([update(key, { set: { month: undefined, note: 'n' }, add: { used: 2 } })]);
    expect(await table.get(key)).toEqual({ used: 7, note: 'n' });
  });

  it('adds concurrently without losing a count', async () => {
    const key = { pk: pk(), sk: 'N' };
    await Promise.all(Array.from({ length: 20 }, () => table.write([update(key, { add: { n: 1 } })])));
    expect(await table.get(key)).toEqual({ n: 20 });
  });

  it('pages a prefix in key order or newest first, each item once, with a cursor only when more follow', async () => {
    const p = pk();
    await Promise.all(['1', '2', '3', '4', '5'].map((n) => table.write([put({ pk: p, sk: `ITEM#${n}` }, { n: Number(n) })])));
    await table.write([put({ pk: p, sk: 'OTHER#1' }, { n: 0 })]);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.query<{ n: number }>(p, 'ITEM#', { limit: 2, cursor }, { newestFirst: true });
      seen.push(...page.items.map((item) => item.n));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    const exact = await table.query(p, 'ITEM#', { limit: 5 });
    expect(exact.items).toHaveLength(5);
    expect(exact.nextCursor).toBeUndefined();
    expect(await table.count(p, 'ITEM#')).toBe(5);
    expect((await table.all<{ n: number }>(p, 'ITEM#')).map((item) => item.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('pages the sort keys of a prefix in key order, with a cursor only when more follow', async () => {
    const p = pk();
    await table.write(['B#2', 'B#1', 'A#1', 'B#3', 'C#1'].map((sk) => put({ pk: p, sk }, { payload: 'x'.repeat(50) })));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.keys(p, 'B#', { limit: 2, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['B#1', 'B#2', 'B#3']);
    expect(await table.keys(p, '', { limit: 5 })).toEqual({ items: ['A#1', 'B#1', 'B#2', 'B#3', 'C#1'] });
    expect(await table.keys(pk(), '', { limit: 5 })).toEqual({ items: [] });
    await expect(table.keys(p, 'C#', { limit: 1, cursor: (await table.keys(p, 'B#', { limit: 1 })).nextCursor })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('fills a filtered page, and refuses a cursor of another list', async () => {
    const p = pk();
    await Promise.all(
      Array.from({ length: 9 }, (_, i) => table.write([put({ pk: p, sk: `U#${i}` }, { name: i % 3 === 0 ? `al${i}` : `bo${i}`, roles: i % 2 ? ['x'] : ['y'] })])),
    );
    const first = await table.query<{ name: string }>(p, 'U#', { limit: 2 }, { filter: when.beginsWith('name', 'al') });
    expect(first.items.map((u) => u.name)).toEqual(['al0', 'al3']);
    const rest = await table.query<{ name: string }>(p, 'U#', { limit: 2, cursor: first.nextCursor }, { filter: when.beginsWith('name', 'al') });
    expect(rest.items.map((u) => u.name)).toEqual(['al6']);
    expect(rest.nextCursor).toBeUndefined();
    const both = await table.query(p, 'U#', { limit: 10 }, { filter: when.and(when.contains('roles', 'x'), when.or(when.beginsWith('name', 'al'), when.beginsWith('name', 'zz'))) });
    expect(both.items).toEqual([{ name: 'al3', roles: ['x'] }]);
    await expect(table.query(p, 'OTHER#', { limit: 1, cursor: first.nextCursor })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
