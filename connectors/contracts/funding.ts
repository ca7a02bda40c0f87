// The Funding wire contract: a tenant's revenue-share rounds for its apps, pledges from investors of any
// tenant, revenue reported by the tenant's runtime and paid out to the pledges, and each investor's
// positions and payout ledger. Money is integer cents; shares and multiples are basis points.
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput } from './schema.ts';

export const ROUND_STATUSES = ['draft', 'open', 'closed', 'canceled', 'repaid'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
export const PLEDGE_STATUSES = ['committed', 'canceled'] as const;

/** The lifecycle moves, by the action that makes them (`repaid` is reached by payouts only). */
export const ROUND_MOVES = ['open', 'close', 'cancel'] as const;
export type RoundMove = (typeof ROUND_MOVES)[number];

const MAX_CENTS = 1_000_000_000_00; // a billion dollars: far above any round, far below float trouble
const cents = () => z.int().check(z.minimum(1), z.maximum(MAX_CENTS));
const name = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const time = () => z.iso.datetime({ offset: true });
const revenueShareBps = () => z.int().check(z.minimum(1), z.maximum(5_000));
const capMultipleBps = () => z.int().check(z.minimum(10_000), z.maximum(100_000));

/** What anyone who may see a round sees: its terms and how much is raised, never its pledges. */
const publicFields = lazy(() => ({
  roundId: z.string(),
  appId: z.string(),
  name: z.string(),
  status: z.enum(ROUND_STATUSES),
  targetCents: z.int(),
  raisedCents: z.int(),
  minPledgeCents: z.int(),
  revenueShareBps: z.int(),
  capMultipleBps: z.int(),
  opensAt: z.optional(isoTime()),
  closesAt: z.optional(isoTime()),
}));
export const publicRound = lazy(() => z.object(publicFields()));
export type PublicRound = z.output<ReturnType<typeof publicRound>>;

/** The round as its own tenant sees it. */
export const round = lazy(() => z.object({
  ...publicFields(),
  paidOutCents: z.int(),
  pledgeCount: z.int(),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  version: z.int(),
}));
export type Round = z.output<ReturnType<typeof round>>;

export const pledge = lazy(() => z.object({
  pledgeId: z.string(),
  roundId: z.string(),
  appId: z.string(),
  investorUserId: z.string(),
  investorTenantId: z.string(),
  investorName: z.string(),
  amountCents: z.int(),
  status: z.enum(PLEDGE_STATUSES),
  paidOutCents: z.int(),
  createdAt: isoTime(),
  canceledAt: z.optional(isoTime()),
}));
export type Pledge = z.output<ReturnType<typeof pledge>>;

export const position = lazy(() => z.object({ pledge: pledge(), round: publicRound() }));
export type Position = z.output<ReturnType<typeof position>>;

export const payout = lazy(() => z.object({
  payoutId: z.string(),
  roundId: z.string(),
  appId: z.string(),
  pledgeId: z.string(),
  amountCents: z.int(),
  reportId: z.string(),
  createdAt: isoTime(),
}));
export type Payout = z.output<ReturnType<typeof payout>>;

export const revenueResult = lazy(() => z.object({
  reportId: z.string(),
  appId: z.string(),
  grossCents: z.int(),
  feeCents: z.int(),
  netCents: z.int(),
  /** Each closed round of the app: its pool, what it paid now (cut to its cap), and whether this report had paid it before. */
  rounds: z.array(
    z.object({ roundId: z.string(), poolCents: z.int(), paidCents: z.int(), status: z.enum(ROUND_STATUSES), alreadyRecorded: z.boolean() }),
  ),
}));
export type RevenueResult = z.output<ReturnType<typeof revenueResult>>;

const roundRef = { roundId: id() };
const terms = lazy(() => ({
  name: name(),
  targetCents: cents(),
  minPledgeCents: cents(),
  revenueShareBps: revenueShareBps(),
  capMultipleBps: capMultipleBps(),
}));

export const fundingContract = defineContract({
  listRounds: () => ({ input: z.strictObject({ ...pageInput, status: z.optional(z.enum(ROUND_STATUSES)), appId: z.optional(id()) }), output: page(round()) }),
  /** The round's tenant sees all of it; another tenant sees the public fields while it is open or if it pledged to it; else 404. */
  getRound: () => ({ input: z.strictObject(roundRef), output: z.union([round(), publicRound()]) }),
  createRound: () => ({ input: z.strictObject({ appId: id(), ...terms(), opensAt: z.optional(time()), closesAt: z.optional(time()) }), output: round() }),
  /** Drafts only; the fields given replace the stored ones (null clears a date). */
  updateRound: () => ({
    input: z.strictObject({
      ...roundRef,
      expectedVersion: z.optional(z.int().check(z.minimum(1))),
      name: z.optional(terms().name),
      targetCents: z.optional(terms().targetCents),
      minPledgeCents: z.optional(terms().minPledgeCents),
      revenueShareBps: z.optional(terms().revenueShareBps),
      capMultipleBps: z.optional(terms().capMultipleBps),
      opensAt: z.optional(z.nullable(time())),
      closesAt: z.optional(z.nullable(time())),
    }),
    output: round(),
  }),
  /** One lifecycle move (open, close, cancel); any other is a 409 naming the status. */
  moveRound: () => ({ input: z.strictObject({ ...roundRef, move: z.enum(ROUND_MOVES) }), output: round() }),
  /** Any tenant's investor: a committed pledge to an open round, within its target and minimum. */
  pledge: () => ({ input: z.strictObject({ ...roundRef, amountCents: cents() }), output: pledge() }),
  /** The investor, while the round is open. */
  cancelPledge: () => ({ input: z.strictObject({ pledgeId: id() }), output: pledge() }),
  /** The caller's pledges across tenants, newest first, each with its round's public fields. */
  myPositions: () => ({ input: z.strictObject(pageInput), output: page(position()) }),
  /** The pledges to one of the caller's tenant's rounds, newest first. */
  listPledges: () => ({ input: z.strictObject({ ...roundRef, ...pageInput }), output: page(pledge()) }),
  /** The tenant's runtime (app key): pays each closed round of the app its share, once per reportId. */
  recordRevenue: () => ({ input: z.strictObject({ appId: id(), grossCents: z.int().check(z.minimum(0), z.maximum(MAX_CENTS)), reportId: id() }), output: revenueResult() }),
  /** The caller's payouts, newest first. */
  listPayouts: () => ({ input: z.strictObject(pageInput), output: page(payout()) }),
  /** Whether the tenant has an open round for the app (Hosting's delete_app refuses then). */
  hasOpenRound: () => ({ input: z.strictObject({ appId: id() }), output: z.object({ appId: z.string(), open: z.boolean() }) }),
});

export type FundingContract = typeof fundingContract;
