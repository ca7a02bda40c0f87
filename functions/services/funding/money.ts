// Funding's money rules, pure so they are property-tested alone (test/unit/funding-money.test.ts).
// All amounts are integer cents; products that could pass 2^53 (pool x pledge, raised x cap) are
// computed in BigInt.

/** The platform's fee on reported revenue, in basis points. */
export const PLATFORM_FEE_BPS = 300;
const BPS = 10_000n;

/** fee = gross x 300 / 10000, rounded half up to whole cents (0.5 cent and above rounds up). */
export const feeCents = (grossCents: number): number => Number((BigInt(grossCents) * BigInt(PLATFORM_FEE_BPS) * 2n + BPS) / (2n * BPS));

/** What the platform passes on: gross - fee, so fee + net = gross exactly. */
export const netCents = (grossCents: number): number => grossCents - feeCents(grossCents);

/** A round's share of net revenue: floor(net x revenueShareBps / 10000) (rounded down: never more than the share). */
export const poolCents = (net: number, revenueShareBps: number): number => Number((BigInt(net) * BigInt(revenueShareBps)) / BPS);

/** What a round pays in all: floor(raised x capMultipleBps / 10000). */
export const capCents = (raisedCents: number, capMultipleBps: number): number => Number((BigInt(raisedCents) * BigInt(capMultipleBps)) / BPS);

/** What a round may still pay: the cap less what it paid (never negative). */
export const capRemainingCents = (round: { raisedCents: number; capMultipleBps: number; paidOutCents: number }): number =>
  Math.max(0, capCents(round.raisedCents, round.capMultipleBps) - round.paidOutCents);

export interface Share {
  id: string;
  weight: number;
}

/**
 * Splits `total` cents over `shares` pro rata by weight with the largest-remainder method: each gets the
 * floor of its exact share, and the cents left (fewer than the number of shares) go one each to the largest
 * remainders, ties broken by id (ascending). The parts sum to `total` exactly; each is its exact share's
 * floor or floor + 1. Answers the parts in the order of `shares`. No shares or no weight: all zeros.
 */
export function splitLargestRemainder(total: number, shares: readonly Share[]): number[] {
  const weights = shares.map((share) => BigInt(share.weight));
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n || total <= 0) return shares.map(() => 0);
  const exact = weights.map((weight) => BigInt(total) * weight);
  const parts = exact.map((value) => value / sum);
  let left = BigInt(total) - parts.reduce((a, b) => a + b, 0n);
  const order = shares
    .map((share, i) => ({ i, id: share.id, remainder: exact[i]! % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

export interface RoundTerms {
  raisedCents: number;
  capMultipleBps: number;
  revenueShareBps: number;
  paidOutCents: number;
}

export interface RoundPayout {
  /** The round's share of this report's net revenue, before the cap. */
  poolCents: number;
  /** What it pays now: the pool cut to the cap remaining; the parts sum to this. */
  paidCents: number;
  /** Per pledge, in the order given. */
  parts: number[];
  /** Whether this payment brings the round to its cap (then it is repaid). */
  reachesCap: boolean;
}

/** One round's payout of one revenue report: pool, cut to the cap, split over the committed pledges by amount. */
export function roundPayout(round: RoundTerms, net: number, pledges: readonly { pledgeId: string; amountCents: number }[]): RoundPayout {
  const pool = poolCents(net, round.revenueShareBps);
  const paidCents = pledges.length === 0 ? 0 : Math.min(pool, capRemainingCents(round));
  const parts = splitLargestRemainder(paidCents, pledges.map((p) => ({ id: p.pledgeId, weight: p.amountCents })));
  return { poolCents: pool, paidCents, parts, reachesCap: round.paidOutCents + paidCents >= capCents(round.raisedCents, round.capMultipleBps) };
}
