// Funding's money rules as properties (fast-check): fee + net = gross, payouts sum to the pool, none
// negative, none above a pledge's exact pro-rata share + 1 cent, and cumulative payouts never pass the cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capCents, feeCents, netCents, poolCents, roundPayout, splitLargestRemainder } from '#functions/services/funding/money';

const MAX_CENTS = 100_000_000_000;
const gross = fc.integer({ min: 0, max: MAX_CENTS });
const pledges = fc.uniqueArray(fc.record({ pledgeId: fc.stringMatching(/^p[0-9a-z]{1,6}$/), amountCents: fc.integer({ min: 1, max: 1_000_000_000 }) }), {
  minLength: 1,
  maxLength: 40,
  selector: (p) => p.pledgeId,
});
const terms = fc.record({ revenueShareBps: fc.integer({ min: 1, max: 5_000 }), capMultipleBps: fc.integer({ min: 10_000, max: 100_000 }) });

describe('funding money rules', () => {
  it('fee is 300 bps of gross rounded half up, and fee + net = gross', () => {
    fc.assert(
      fc.property(gross, (g) => {
        const fee = feeCents(g);
        expect(fee + netCents(g)).toBe(g);
        expect(fee).toBeGreaterThanOrEqual(0);
        // |fee - exact| <= 0.5 cent, with .5 going up: 2 x 10000 x fee is within [600g - 10000, 600g + 10000).
        expect(2 * 10_000 * fee - 600 * g).toBeGreaterThan(-10_001);
        expect(2 * 10_000 * fee - 600 * g).toBeLessThanOrEqual(10_000);
      }),
    );
    expect([feeCents(16), feeCents(17), feeCents(50), feeCents(10_000)]).toEqual([0, 1, 2, 300]); // 0.48 -> 0, 0.51 -> 1, 1.5 -> 2
  });

  it('splits a pool into parts that sum to it exactly, none negative, each its floor or floor + 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CENTS }), pledges, (pool, ps) => {
        const parts = splitLargestRemainder(pool, ps.map((p) => ({ id: p.pledgeId, weight: p.amountCents })));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(pool);
        const total = BigInt(ps.reduce((a, p) => a + p.amountCents, 0));
        parts.forEach((part, i) => {
          expect(part).toBeGreaterThanOrEqual(0);
          const floor = Number((BigInt(pool) * BigInt(ps[i]!.amountCents)) / total);
          expect(part === floor || part === floor + 1).toBe(true);
        });
      }),
    );
  });

  it('breaks equal remainders by pledge id', () => {
    expect(splitLargestRemainder(10, [{ id: 'b', weight: 1 }, { id: 'a', weight: 1 }, { id: 'c', weight: 1 }])).toEqual([3, 4, 3]);
    expect(splitLargestRemainder(100, [{ id: 'x', weight: 2 }, { id: 'y', weight: 1 }])).toEqual([67, 33]);
  });

  it('never pays a round past raised x capMultiple, whatever the reports, and reaches the cap exactly', () => {
    fc.assert(
      fc.property(terms, pledges, fc.array(gross, { minLength: 1, maxLength: 30 }), (t, ps, reports) => {
        const raisedCents = ps.reduce((a, p) => a + p.amountCents, 0);
        const cap = capCents(raisedCents, t.capMultipleBps);
        let paidOutCents = 0;
        const perPledge = ps.map(() => 0);
        for (const g of reports) {
          const payout = roundPayout({ ...t, raisedCents, paidOutCents }, netCents(g), ps);
          expect(payout.poolCents).toBe(poolCents(netCents(g), t.revenueShareBps));
          expect(payout.paidCents).toBeLessThanOrEqual(payout.poolCents);
          expect(payout.parts.reduce((a, b) => a + b, 0)).toBe(payout.paidCents);
          payout.parts.forEach((part, i) => (perPledge[i]! += part));
          paidOutCents += payout.paidCents;
          expect(paidOutCents).toBeLessThanOrEqual(cap);
          expect(payout.reachesCap).toBe(paidOutCents === cap);
          if (payout.reachesCap) break; // the round is repaid: no later report reaches it
        }
        expect(perPledge.reduce((a, b) => a + b, 0)).toBe(paidOutCents);
      }),
    );
  });
});
