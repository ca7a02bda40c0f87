// Funding's rules: rounds of the tenant's apps (edited as drafts, moved through the lifecycle), pledges
// from investors of any tenant within the round's target, and revenue paid out pro rata up to each
// round's cap, once per report. Writes that lose to a concurrent one (a pledge, a cancel, a payout)
// read again and retry a bounded number of times, so parallel requests that fit all succeed.
import { publicRound, type FundingContract, type Pledge, type PublicRound, type Round } from '#connectors/contracts/funding';
import { conflict, invalid, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { newId } from './keys.ts';
import { nextStatus } from './lifecycle.ts';
import { feeCents, netCents, roundPayout } from './money.ts';
import type { FundingStore, Investor } from './store.ts';

export interface FundingDeps {
  store: FundingStore;
  now?: () => Date;
}

/**
 * Committed pledges a round takes at most. A payout is one atomic write of 2 + 2 x pledges items
 * (claim, round, each pledge and its ledger item) and a write holds at most 100: so at most 48.
 */
export const MAX_PLEDGES = 40;
/** How often a write that lost a race is tried again before the caller gets a CONFLICT. */
export const MAX_ATTEMPTS = 20;

/** A short random pause before another try, so racing writers spread out. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 5)));

/** Runs `attempt` until it answers something other than undefined; CONFLICT after MAX_ATTEMPTS. */
async function retrying<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await backoff(n);
  }
  throw conflict(`${what} changed concurrently too often; try again`);
}

const fieldError = (field: string, message: string) => invalid(`${field}: ${message}`, { issues: [{ field, message }] });

/** A round's terms hold together: the minimum pledge fits the target, the schedule ends after it starts. */
function assertTerms({ targetCents, minPledgeCents, opensAt, closesAt }: { targetCents: number; minPledgeCents: number; opensAt?: string; closesAt?: string }) {
  if (minPledgeCents > targetCents) throw fieldError('minPledgeCents', 'must not exceed targetCents');
  if (opensAt !== undefined && closesAt !== undefined && Date.parse(closesAt) <= Date.parse(opensAt)) throw fieldError('closesAt', 'must be after opensAt');
}

/** What another tenant sees of a round: its terms and progress (the public schema drops everything else). */
export const publicView = (round: Round): PublicRound => publicRound().parse(round);

const investorOf = (ctx: CallContext): Investor => ({ tenantId: ctx.tenantId, userId: ctx.userId });

export function createFundingOperations({ store, now = () => new Date() }: FundingDeps): OperationsOf<FundingContract> {
  /** One of the caller's tenant's rounds; 404 for an unknown id or another tenant's. */
  async function loadOwn(ctx: CallContext, roundId: string): Promise<Round> {
    const round = await store.getRound(ctx.tenantId, roundId);
    if (!round) throw notFound('Round');
    return round;
  }

  /**
   * A round the caller may see: its own tenant's, or another tenant's while it is open or if the caller
   * pledged to it. Anything else reads as not found, like an unknown id.
   */
  async function visibleRound(ctx: CallContext, roundId: string): Promise<{ tenantId: string; round: Round; own: boolean }> {
    const tenantId = await store.roundTenant(roundId);
    const round = tenantId === undefined ? undefined : await store.getRound(tenantId, roundId);
    if (!tenantId || !round) throw notFound('Round');
    const own = tenantId === ctx.tenantId;
    if (!own && round.status !== 'open' && !(await store.hasPledged(tenantId, roundId, investorOf(ctx)))) throw notFound('Round');
    return { tenantId, round, own };
  }

  async function change(ctx: CallContext, round: Round, changes: Partial<Round>): Promise<Round> {
    await store.updateRound(ctx.tenantId, round.roundId, { ...changes, updatedAt: now().toISOString() }, round.version);
    // Pledges may have landed meanwhile (they do not bump the version): answer what is stored.
    return loadOwn(ctx, round.roundId);
  }

  return {
    listRounds: (ctx, { limit, cursor, status, appId }) => store.listRounds(ctx.tenantId, { limit, cursor }, { status, appId }),

    async getRound(ctx, { roundId }) {
      const { round, own } = await visibleRound(ctx, roundId);
      return own ? round : publicView(round);
    },

    async createRound(ctx, { appId, name, targetCents, minPledgeCents, revenueShareBps, capMultipleBps, opensAt, closesAt }) {
      assertTerms({ targetCents, minPledgeCents, opensAt, closesAt });
      const at = now();
      const round: Round = {
        roundId: newId('rnd', at),
        appId,
        name,
        status: 'draft',
        targetCents,
        raisedCents: 0,
        minPledgeCents,
        revenueShareBps,
        capMultipleBps,
        ...(opensAt !== undefined && { opensAt }),
        ...(closesAt !== undefined && { closesAt }),
        paidOutCents: 0,
        pledgeCount: 0,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        version: 1,
      };
      await store.createRound(ctx.tenantId, round);
      return round;
    },

    async updateRound(ctx, { roundId, expectedVersion, ...fields }) {
      const round = await loadOwn(ctx, roundId);
      if (expectedVersion !== undefined && expectedVersion !== round.version) {
        throw conflict(`The round is at version ${round.version}, not ${expectedVersion}; read it again and retry`);
      }
      if (round.status !== 'draft') throw conflict(`Only a draft round can be edited; this one is ${round.status}`, { status: round.status });
      // null clears a date; undefined leaves the field as it is.
      const changes: Partial<Round> = {};
      for (const [field, value] of Object.entries(fields)) if (value !== undefined) Object.assign(changes, { [field]: value ?? undefined });
      const pick = <K extends 'opensAt' | 'closesAt'>(key: K) => (fields[key] === undefined ? round[key] : (fields[key] ?? undefined));
      assertTerms({
        targetCents: fields.targetCents ?? round.targetCents,
        minPledgeCents: fields.minPledgeCents ?? round.minPledgeCents,
        opensAt: pick('opensAt'),
        closesAt: pick('closesAt'),
      });
      return change(ctx, round, changes);
    },

    async moveRound(ctx, { roundId, move }) {
      const round = await loadOwn(ctx, roundId);
      return change(ctx, round, { status: nextStatus(round.status, move) });
    },

    async pledge(ctx, { roundId, amountCents }) {
      return retrying('The round', async () => {
        const { tenantId, round } = await visibleRound(ctx, roundId);
        if (round.status !== 'open') throw conflict(`Pledges are taken while a round is open; this one is ${round.status}`, { status: round.status });
        if (amountCents < round.minPledgeCents) throw fieldError('amountCents', `must be at least the round's minimum pledge of ${round.minPledgeCents} cents`);
        const remainingCents = round.targetCents - round.raisedCents;
        if (amountCents > remainingCents) {
          throw conflict(`A pledge of ${amountCents} cents would pass the round's target: ${remainingCents} cents remain`, { field: 'amountCents', remainingCents });
        }
        if (round.pledgeCount >= MAX_PLEDGES) throw conflict(`The round has its maximum of ${MAX_PLEDGES} pledges`, { maxPledges: MAX_PLEDGES });
        const at = now();
        const pledge: Pledge = {
          pledgeId: newId('plg', at),
          roundId,
          appId: round.appId,
          investorUserId: ctx.userId,
          investorTenantId: ctx.tenantId,
          investorName: ctx.displayName ?? ctx.userId,
          amountCents,
          status: 'committed',
          paidOutCents: 0,
          createdAt: at.toISOString(),
        };
        // Refused or raced: read again; the next attempt names what changed (status, room left) or succeeds.
        return (await store.addPledge(tenantId, round, pledge, investorOf(ctx), MAX_PLEDGES)) === 'ok' ? pledge : undefined;
      });
    },

    async cancelPledge(ctx, { pledgeId }) {
      const investor = investorOf(ctx);
      return retrying('The pledge', async () => {
        // Found through the caller's own position: nobody else's pledge id leads anywhere.
        const position = await store.getPosition(investor, pledgeId);
        const pledge = position && (await store.getPledge(position.roundTenantId, position.roundId, pledgeId));
        if (!position || !pledge) throw notFound('Pledge');
        if (pledge.status !== 'committed') throw conflict(`The pledge is already ${pledge.status}`, { status: pledge.status });
        const round = await store.getRound(position.roundTenantId, position.roundId);
        if (round?.status !== 'open') {
          throw conflict(`A pledge can be canceled while its round is open; this one is ${round?.status}`, { status: round?.status });
        }
        const canceledAt = now().toISOString();
        const result = await store.cancelPledge(position.roundTenantId, pledge, investor, canceledAt);
        return result === 'ok' ? { ...pledge, status: 'canceled' as const, canceledAt } : undefined;
      });
    },

    async myPositions(ctx, { limit, cursor }) {
      const pointers = await store.listPositions(investorOf(ctx), { limit, cursor });
      // Two gets per position of the page: the pledge and its round, both under the round's tenant.
      const items = await Promise.all(
        pointers.items.map(async ({ roundTenantId, roundId, pledgeId }) => {
          const [pledge, round] = await Promise.all([store.getPledge(roundTenantId, roundId, pledgeId), store.getRound(roundTenantId, roundId)]);
          return pledge && round ? [{ pledge, round: publicView(round) }] : [];
        }),
      );
      return { items: items.flat(), ...(pointers.nextCursor !== undefined && { nextCursor: pointers.nextCursor }) };
    },

    async listPledges(ctx, { roundId, limit, cursor }) {
      await loadOwn(ctx, roundId);
      return store.listPledges(ctx.tenantId, roundId, { limit, cursor });
    },

    async recordRevenue(ctx, { appId, grossCents, reportId }) {
      const fee = feeCents(grossCents);
      const net = netCents(grossCents);
      // The app's tenant is the caller's (the runtime's app key): its closed rounds share the revenue;
      // repaid ones are listed only if this very report paid them before.
      const rounds = (await store.allRounds(ctx.tenantId)).filter((r) => r.appId === appId && (r.status === 'closed' || r.status === 'repaid'));
      const results = [];
      for (const { roundId } of rounds) {
        const result = await retrying('The round', async () => {
          const claim = await store.getRevenueClaim(ctx.tenantId, reportId, roundId);
          const round = await store.getRound(ctx.tenantId, roundId);
          if (claim) return { roundId, poolCents: claim.poolCents, paidCents: claim.paidCents, status: round!.status, alreadyRecorded: true };
          if (round?.status !== 'closed') return null;
          const pledges = await store.committedPledges(ctx.tenantId, roundId);
          if (pledges.length === 0) return null;
          const payout = roundPayout(round, net, pledges);
          const at = now();
          const payouts = pledges.flatMap((pledge, i) => {
            const amountCents = payout.parts[i]!;
            if (amountCents === 0) return [];
            return [{ pledge, payout: { payoutId: newId('pay', at), roundId, appId, pledgeId: pledge.pledgeId, amountCents, reportId, createdAt: at.toISOString() } }];
          });
          const outcome = await store.payRound(ctx.tenantId, {
            round,
            reportId,
            grossCents,
            poolCents: payout.poolCents,
            paidCents: payout.paidCents,
            reachesCap: payout.reachesCap,
            at: at.toISOString(),
            payouts,
          });
          if (outcome !== 'ok') return undefined; // claimed meanwhile (the next read says so) or raced
          return { roundId, poolCents: payout.poolCents, paidCents: payout.paidCents, status: payout.reachesCap ? ('repaid' as const) : ('closed' as const), alreadyRecorded: false };
        });
        if (result) results.push(result);
      }
      return { reportId, appId, grossCents, feeCents: fee, netCents: net, rounds: results };
    },

    listPayouts: (ctx, { limit, cursor }) => store.listPayouts(investorOf(ctx), { limit, cursor }),

    async hasOpenRound(ctx, { appId }) {
      const rounds = await store.allRounds(ctx.tenantId);
      return { appId, open: rounds.some((r) => r.appId === appId && r.status === 'open') };
    },
  };
}
