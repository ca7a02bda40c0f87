// What a cold start leaves for later: contract schemas are built per operation on first use, and each
// plugin module loads on its first call (README, "Performance").
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { defineContract, mergeContracts } from '#connectors/contracts/contract';
import { hostingContract } from '#connectors/contracts/hosting';
import { createConnector, type Transport } from '#connectors/base';
import { PLUGINS } from '#functions/execute/registry';
import { systemContext } from '#connectors/contracts/wire';

const counted = () => {
  const built: string[] = [];
  const contract = defineContract({
    getThing: () => (built.push('getThing'), { input: z.object({ id: z.string() }), output: z.object({ id: z.string() }) }),
    putThing: () => (built.push('putThing'), { input: z.object({ id: z.string() }), output: z.object({ ok: z.boolean() }) }),
  });
  return { built, contract };
};

describe('defineContract', () => {
  it('builds an operation its schemas on first use only, and once', () => {
    const { built, contract } = counted();
    expect(Object.keys(contract)).toEqual(['getThing', 'putThing']);
    expect(built).toEqual([]);
    const first = contract.getThing.input;
    expect(contract.getThing.input).toBe(first);
    expect(built).toEqual(['getThing']);
  });

  it('stays lazy when merged, and a connector builds only the operations it calls', async () => {
    const { built, contract } = counted();
    const other = defineContract({ dropThing: () => (built.push('dropThing'), { input: z.object({}), output: z.object({}) }) });
    const merged = mergeContracts(contract, other);
    expect(built).toEqual([]);
    const transport: Transport = { send: async () => ({ ok: true, data: { id: 'a' } }) };
    const connector = createConnector('things', merged, transport);
    expect(built).toEqual([]);
    await expect(connector.getThing(systemContext('t1', 'test', 'c1'), { id: 'a' })).resolves.toEqual({ id: 'a' });
    expect(built).toEqual(['getThing']);
    await expect(connector.putThing(systemContext('t1', 'test', 'c1'), { id: 'a' })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(built).toEqual(['getThing', 'putThing']);
    expect(Object.keys(connector).sort()).toEqual(['dropThing', 'emit', 'getThing', 'putThing']);
    expect(built).not.toContain('dropThing');
  });

  it('gives the real contracts plain-object reads (schemas validate as before)', () => {
    expect(hostingContract.getApp.input.safeParse({ appId: 'a1' }).success).toBe(true);
    expect(hostingContract.getApp.input.safeParse({ appId: 'a1', extra: 1 }).success).toBe(false);
  });
});

describe('plugin registry', () => {
  it('loads, under each name, the plugin of that name', async () => {
    for (const [name, load] of PLUGINS) expect((await load()).name).toBe(name);
  });
});
