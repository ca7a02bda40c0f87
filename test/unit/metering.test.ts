import { describe, expect, it } from 'vitest';
import { createUsageMeter } from '#functions/execute/metering';

function setup(options: { flushEvery?: number; flushAfterMs?: number; snapshotMaxAgeMs?: number; failing?: boolean } = {}) {
  let clock = 1_000;
  const sent: Array<[string, number]> = [];
  const meter = createUsageMeter({
    emit: async (tenantId, amount) => {
      if (options.failing) throw new Error('Lambda API unreachable');
      sent.push([tenantId, amount]);
    },
    flushEvery: options.flushEvery ?? 3,
    flushAfterMs: options.flushAfterMs ?? 60_000,
    snapshotMaxAgeMs: options.snapshotMaxAgeMs,
    now: () => clock,
  });
  return { meter, sent, tick: (ms: number) => (clock += ms), now: () => clock };
}

describe('usage meter', () => {
  it('sends counts per tenant in batches, not per call', async () => {
    const { meter, sent } = setup({ flushEvery: 3 });
    await meter.record('a');
    await meter.record('b');
    expect(sent).toEqual([]);
    await meter.record('a');
    expect(sent).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('sends a lone call once it is old enough', async () => {
    const { meter, sent, tick } = setup({ flushEvery: 100, flushAfterMs: 5000 });
    await meter.record('a');
    tick(5001);
    await meter.record('a');
    expect(sent).toEqual([['a', 2]]);
  });

  it('counts in the quota estimate every call a usage snapshot cannot contain yet', async () => {
    const { meter, tick, now } = setup({ flushEvery: 2 });
    await meter.record('a'); // pending: Billing has not heard of it
    tick(10);
    const snapshot = now();
    expect(meter.countedSince('a', snapshot)).toBe(1);
    tick(10);
    await meter.record('a'); // sent (with the first) after the snapshot was read
    expect(meter.countedSince('a', snapshot)).toBe(2);
    tick(10);
    // A snapshot read after the batch was sent contains both.
    expect(meter.countedSince('a', now())).toBe(0);
    expect(meter.countedSince('b', snapshot)).toBe(0);
  });

  it('keeps counting batches a snapshot missed across many flushes, and forgets those older than any snapshot in use', async () => {
    const { meter, tick, now } = setup({ flushEvery: 2, snapshotMaxAgeMs: 1000 });
    const snapshot = now();
    for (let i = 0; i < 10; i++) {
      tick(10);
      await meter.record('a');
    }
    expect(meter.countedSince('a', snapshot)).toBe(10); // 5 batches sent after the snapshot
    tick(2000);
    await meter.record('a');
    await meter.record('a'); // this flush forgets the batches sent over 1000 ms ago
    expect(meter.countedSince('a', snapshot)).toBe(2);
    expect(meter.countedSince('a', now() + 1)).toBe(0);
  });

  it('never fails a request because the metering event could not be sent', async () => {
    const { meter } = setup({ flushEvery: 1, failing: true });
    await expect(meter.record('a')).resolves.toBeUndefined();
  });
});
