// Funding's store, over the table port. Every invariant is one conditional write or one atomic
// multi-item write: a round with its global reference; a pledge with the round's raised/pledge counts
// and the investor's position pointer; a cancel likewise; a revenue payout with its once-per-report
// claim, the round, each pledge's paid total and each investor's ledger item.
import type { Payout, Pledge, Round, RoundStatus } from '#connectors/contracts/funding';
import { conflict } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { put, update, when, writeOrThrow, type Condition, type Table, type Write } from '#functions/shared/table';
import {
  payoutPrefix,
  payoutSk,
  pledgePrefix,
  pledgeSk,
  positionPrefix,
  positionSk,
  revenueClaimSk,
  ROUND_PREFIX,
  roundRefKey,
  roundSk,
  tenantKey,
  tenantPk,
} from './keys.ts';

/** The investor's pointer to a pledge stored under the round's tenant. */
export interface PositionItem {
  pledgeId: string;
  roundId: string;
  roundTenantId: string;
  status: Pledge['status'];
  createdAt: string;
}

/** Who invests: the caller's tenant and user. */
export interface Investor {
  tenantId: string;
  userId: string;
}

/** A write that lost: to a condition (`refused`) or to a concurrent transaction (`raced`, try again). */
export type WriteResult = 'ok' | 'refused' | 'raced';

export interface PayRound {
  round: Round;
  reportId: string;
  grossCents: number;
  poolCents: number;
  paidCents: number;
  reachesCap: boolean;
  at: string;
  payouts: { pledge: Pledge; payout: Payout }[];
}

export interface RevenueClaim {
  reportId: string;
  roundId: string;
  grossCents: number;
  poolCents: number;
  paidCents: number;
  createdAt: string;
}

export const CHANGED_CONCURRENTLY = 'The round changed while you were updating it; read it again and retry';

export interface FundingStore {
  getRound(tenantId: string, roundId: string): Promise<Round | undefined>;
  /** The tenant that owns a round, from its global reference; undefined for an unknown id. */
  roundTenant(roundId: string): Promise<string | undefined>;
  listRounds(tenantId: string, page: PageRequest, filter: { status?: RoundStatus; appId?: string }): Promise<Page<Round>>;
  /** Every round of the tenant (a tenant has few): revenue and the open-round check read them whole. */
  allRounds(tenantId: string): Promise<Round[]>;
  /** The round and its global reference, together. */
  createRound(tenantId: string, round: Round): Promise<void>;
  /** Sets `changes` and bumps the version if the round is still at `expectedVersion`; CONFLICT otherwise. */
  updateRound(tenantId: string, roundId: string, changes: Partial<Round>, expectedVersion: number): Promise<void>;

  /**
   * One atomic write: the round adds the amount and one pledge while it is open, stays within its target
   * and under `maxPledges`; the pledge and the investor's position are created with it.
   */
  addPledge(roundTenantId: string, round: Round, pledge: Pledge, investor: Investor, maxPledges: number): Promise<WriteResult>;
  /** One atomic write: the committed pledge is canceled, the round (still open) gives back its amount and count, the position follows. */
  cancelPledge(roundTenantId: string, pledge: Pledge, investor: Investor, at: string): Promise<WriteResult>;
  getPledge(roundTenantId: string, roundId: string, pledgeId: string): Promise<Pledge | undefined>;
  getPosition(investor: Investor, pledgeId: string): Promise<PositionItem | undefined>;
  /** Whether the investor ever pledged to the round (committed or canceled). */
  hasPledged(roundTenantId: string, roundId: string, investor: Investor): Promise<boolean>;
  listPositions(investor: Investor, page: PageRequest): Promise<Page<PositionItem>>;
  listPledges(tenantId: string, roundId: string, page: PageRequest): Promise<Page<Pledge>>;
  committedPledges(tenantId: string, roundId: string): Promise<Pledge[]>;

  /**
   * One atomic write for one round of one report: the claim (refused if this report paid this round
   * before), the round (at the version read, still closed), each pledge's paid total and each ledger item.
   * 'claimed' = this report paid the round before; 'raced' = the round changed or a transaction got in the way.
   */
  payRound(appTenantId: string, pay: PayRound): Promise<'ok' | 'claimed' | 'raced'>;
  /** What a report paid a round, if it did. */
  getRevenueClaim(appTenantId: string, reportId: string, roundId: string): Promise<RevenueClaim | undefined>;
  listPayouts(investor: Investor, page: PageRequest): Promise<Page<Payout>>;
}

const outcomeOf = (outcome: { ok: boolean; raced?: boolean }): WriteResult => (outcome.ok ? 'ok' : outcome.raced ? 'raced' : 'refused');

export function createFundingStore(table: Table): FundingStore {
  const roundKey = (tenantId: string, roundId: string) => tenantKey(tenantId, roundSk(roundId));
  const pledgeKey = (tenantId: string, roundId: string, pledgeId: string) => tenantKey(tenantId, pledgeSk(roundId, pledgeId));
  const positionKey = ({ tenantId, userId }: Investor, pledgeId: string) => tenantKey(tenantId, positionSk(userId, pledgeId));

  return {
    getRound: (tenantId, roundId) => table.get<Round>(roundKey(tenantId, roundId)),

    async roundTenant(roundId) {
      return (await table.get<{ tenantId: string }>(roundRefKey(roundId)))?.tenantId;
    },

    listRounds(tenantId, page, { status, appId }) {
      const clauses: Condition[] = [...(status ? [when.eq('status', status)] : []), ...(appId ? [when.eq('appId', appId)] : [])];
      const filter = clauses.length === 0 ? undefined : clauses.length === 1 ? clauses[0] : when.and(...clauses);
      return table.query<Round>(tenantPk(tenantId), ROUND_PREFIX, page, { newestFirst: true, filter });
    },

    allRounds: (tenantId) => table.all<Round>(tenantPk(tenantId), ROUND_PREFIX),

    async createRound(tenantId, round) {
      await writeOrThrow(
        table,
        [put(roundKey(tenantId, round.roundId), round, when.notExists()), put(roundRefKey(round.roundId), { tenantId }, when.notExists())],
        () => conflict(CHANGED_CONCURRENTLY),
      );
    },

    async updateRound(tenantId, roundId, changes, expectedVersion) {
      await writeOrThrow(table, [update(roundKey(tenantId, roundId), { set: { ...changes, version: expectedVersion + 1 } }, when.eq('version', expectedVersion))], () =>
        conflict(CHANGED_CONCURRENTLY),
      );
    },

    async addPledge(roundTenantId, round, pledge, investor, maxPledges) {
      const outcome = await table.write([
        update(
          roundKey(roundTenantId, round.roundId),
          { add: { raisedCents: pledge.amountCents, pledgeCount: 1 }, set: { updatedAt: pledge.createdAt } },
          when.and(when.eq('status', 'open'), when.below('raisedCents', round.targetCents - pledge.amountCents + 1), when.below('pledgeCount', maxPledges)),
        ),
        put(pledgeKey(roundTenantId, round.roundId, pledge.pledgeId), pledge, when.notExists()),
        put(positionKey(investor, pledge.pledgeId), { pledgeId: pledge.pledgeId, roundId: round.roundId, roundTenantId, status: 'committed', createdAt: pledge.createdAt } satisfies PositionItem, when.notExists()),
      ]);
      return outcomeOf(outcome);
    },

    async cancelPledge(roundTenantId, pledge, investor, at) {
      const outcome = await table.write([
        update(pledgeKey(roundTenantId, pledge.roundId, pledge.pledgeId), { set: { status: 'canceled', canceledAt: at } }, when.eq('status', 'committed')),
        update(roundKey(roundTenantId, pledge.roundId), { add: { raisedCents: -pledge.amountCents, pledgeCount: -1 }, set: { updatedAt: at } }, when.eq('status', 'open')),
        update(positionKey(investor, pledge.pledgeId), { set: { status: 'canceled' } }, when.exists()),
      ]);
      return outcomeOf(outcome);
    },

    getPledge: (roundTenantId, roundId, pledgeId) => table.get<Pledge>(pledgeKey(roundTenantId, roundId, pledgeId)),

    getPosition: (investor, pledgeId) => table.get<PositionItem>(positionKey(investor, pledgeId)),

    async hasPledged(roundTenantId, roundId, { tenantId, userId }) {
      const filter = when.and(when.eq('investorTenantId', tenantId), when.eq('investorUserId', userId));
      return (await table.query(tenantPk(roundTenantId), pledgePrefix(roundId), { limit: 1 }, { filter })).items.length > 0;
    },

    listPositions: (investor, page) => table.query<PositionItem>(tenantPk(investor.tenantId), positionPrefix(investor.userId), page, { newestFirst: true }),

    listPledges: (tenantId, roundId, page) => table.query<Pledge>(tenantPk(tenantId), pledgePrefix(roundId), page, { newestFirst: true }),

    async committedPledges(tenantId, roundId) {
      return (await table.all<Pledge>(tenantPk(tenantId), pledgePrefix(roundId))).filter((p) => p.status === 'committed');
    },

    getRevenueClaim: (appTenantId, reportId, roundId) => table.get<RevenueClaim>(tenantKey(appTenantId, revenueClaimSk(reportId, roundId))),

    async payRound(appTenantId, { round, reportId, grossCents, poolCents, paidCents, reachesCap, at, payouts }) {
      const claim: RevenueClaim = { reportId, roundId: round.roundId, grossCents, poolCents, paidCents, createdAt: at };
      const writes: Write[] = [
        put(tenantKey(appTenantId, revenueClaimSk(reportId, round.roundId)), claim, when.notExists()),
        update(
          roundKey(appTenantId, round.roundId),
          { add: { paidOutCents: paidCents }, set: { version: round.version + 1, updatedAt: at, ...(reachesCap && { status: 'repaid' }) } },
          when.and(when.eq('version', round.version), when.eq('status', 'closed')),
        ),
      ];
      for (const { pledge, payout } of payouts) {
        const investor = { tenantId: pledge.investorTenantId, userId: pledge.investorUserId };
        writes.push(update(pledgeKey(appTenantId, round.roundId, pledge.pledgeId), { add: { paidOutCents: payout.amountCents } }, when.eq('status', 'committed')));
        writes.push(put(tenantKey(investor.tenantId, payoutSk(investor.userId, payout.payoutId)), payout, when.notExists()));
      }
      const outcome = await table.write(writes);
      if (outcome.ok) return 'ok';
      return outcome.failed[0] ? 'claimed' : 'raced';
    },

    listPayouts: ({ tenantId, userId }, page) => table.query<Payout>(tenantPk(tenantId), payoutPrefix(userId), page, { newestFirst: true }),
  };
}
