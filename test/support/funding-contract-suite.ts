// The Funding contract, written once and run over both tables (test/contract/funding.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Round } from '#connectors/contracts/funding';
import type { CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { callerOf, codeOf, errorOf, newTenant, tenantContext } from './contract-kit.ts';

export type MakeFundingConnector = () => Promise<ConnectorBundle['funding']>;

const terms = (over: Record<string, unknown> = {}) => ({
  appId: 'app_1',
  name: 'Seed round',
  targetCents: 10_000,
  minPledgeCents: 100,
  revenueShareBps: 1_000,
  capMultipleBps: 15_000,
  ...over,
});

/** A member of a fresh tenant, with the display name Identity would pass. */
const investor = (name = 'Ivy Investor'): CallContext => ({ ...callerOf(newTenant()), displayName: name });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function describeFundingContract(name: string, make: MakeFundingConnector): void {
  let funding: ConnectorBundle['funding'];
  beforeAll(async () => {
    funding = await make();
  });

  /** A round of a fresh tenant, opened unless told otherwise. */
  async function roundOf(over: Record<string, unknown> = {}, open = true): Promise<{ owner: CallContext; round: Round }> {
    const owner = tenantContext();
    const round = await funding.createRound(owner, terms(over));
    if (open) await funding.moveRound(owner, { roundId: round.roundId, move: 'open' });
    return { owner, round };
  }
  /** Committed pledges to a round as its tenant lists them (every page). */
  async function committed(owner: CallContext, roundId: string) {
    const items = [];
    let cursor: string | undefined;
    do {
      const page = await funding.listPledges(owner, { roundId, limit: 100, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items.filter((p) => p.status === 'committed');
  }

  describe(`Funding connector contract: ${name}`, () => {
    it('creates a draft round, reads it back, lists newest first with filters; another tenant reads 404', async () => {
      const owner = tenantContext();
      const first = await funding.createRound(owner, terms({ name: 'First' }));
      expect(first).toMatchObject({ status: 'draft', raisedCents: 0, paidOutCents: 0, pledgeCount: 0, version: 1 });
      expect(await funding.getRound(owner, { roundId: first.roundId })).toEqual(first);
      const second = await funding.createRound(owner, terms({ name: 'Second', appId: 'app_2' }));
      await funding.moveRound(owner, { roundId: second.roundId, move: 'open' });
      expect((await funding.listRounds(owner, {})).items.map((r) => r.name)).toEqual(['Second', 'First']);
      expect((await funding.listRounds(owner, { status: 'draft' })).items.map((r) => r.name)).toEqual(['First']);
      expect((await funding.listRounds(owner, { appId: 'app_2' })).items.map((r) => r.name)).toEqual(['Second']);
      expect(await codeOf(funding.getRound(tenantContext(), { roundId: first.roundId }))).toBe('NOT_FOUND');
      expect(await codeOf(funding.getRound(owner, { roundId: 'rnd_unknown' }))).toBe('NOT_FOUND');
      expect((await funding.listRounds(tenantContext(), {})).items).toEqual([]);
    });

    it('refuses terms that do not hold together, naming the field', async () => {
      const owner = tenantContext();
      const error = await errorOf(funding.createRound(owner, terms({ minPledgeCents: 20_000 })));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'minPledgeCents' }] } });
      const dates = await errorOf(funding.createRound(owner, terms({ opensAt: '2030-02-01T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' })));
      expect(dates.details).toEqual({ issues: [{ field: 'closesAt', message: 'must be after opensAt' }] });
      for (const bad of [{ revenueShareBps: 0 }, { revenueShareBps: 5_001 }, { capMultipleBps: 9_999 }]) {
        const refused = await errorOf(funding.createRound(owner, terms(bad)));
        expect(refused.code).toBe('VALIDATION_FAILED');
        expect(refused.message).toContain(Object.keys(bad)[0]);
      }
    });

    it('edits a draft only, with expectedVersion, and clears a date with null', async () => {
      const { owner, round } = await roundOf({ opensAt: '2030-01-01T00:00:00Z' }, false);
      const edited = await funding.updateRound(owner, { roundId: round.roundId, name: 'Renamed', targetCents: 20_000, opensAt: null });
      expect(edited).toMatchObject({ name: 'Renamed', targetCents: 20_000, version: 2 });
      expect(edited.opensAt).toBeUndefined();
      expect(await codeOf(funding.updateRound(owner, { roundId: round.roundId, expectedVersion: 1, name: 'Stale' }))).toBe('CONFLICT');
      expect(await codeOf(funding.updateRound(owner, { roundId: round.roundId, minPledgeCents: 30_000 }))).toBe('VALIDATION_FAILED');
      await funding.moveRound(owner, { roundId: round.roundId, move: 'open' });
      expect(await errorOf(funding.updateRound(owner, { roundId: round.roundId, name: 'Late' }))).toMatchObject({ code: 'CONFLICT', details: { status: 'open' } });
    });

    it('moves through the lifecycle and refuses every other move with a 409 naming the status', async () => {
      const { owner, round } = await roundOf({}, false);
      const { roundId } = round;
      const step = async (move: 'open' | 'close' | 'cancel') => (await funding.moveRound(owner, { roundId, move })).status;
      expect(await codeOf(funding.moveRound(owner, { roundId, move: 'close' }))).toBe('CONFLICT');
      expect(await step('open')).toBe('open');
      const again = await errorOf(funding.moveRound(owner, { roundId, move: 'open' }));
      expect(again).toMatchObject({ code: 'CONFLICT', details: { status: 'open', move: 'open' } });
      expect(again.message).toContain('open');
      expect(await step('close')).toBe('closed');
      for (const move of ['open', 'close', 'cancel'] as const) expect(await codeOf(funding.moveRound(owner, { roundId, move }))).toBe('CONFLICT');
      const other = await roundOf({}, false);
      expect((await funding.moveRound(other.owner, { roundId: other.round.roundId, move: 'cancel' })).status).toBe('canceled');
      const openOne = await roundOf();
      expect((await funding.moveRound(openOne.owner, { roundId: openOne.round.roundId, move: 'cancel' })).status).toBe('canceled');
      expect(await codeOf(funding.moveRound(tenantContext(), { roundId, move: 'cancel' }))).toBe('NOT_FOUND');
    });

    it('takes pledges from any tenant to an open round: minimum, target, public view only, 404 for drafts', async () => {
      const { owner, round } = await roundOf();
      const ivy = investor('Ivy');
      const seen = await funding.getRound(ivy, { roundId: round.roundId });
      expect(seen).not.toHaveProperty('paidOutCents');
      expect(seen).not.toHaveProperty('pledgeCount');
      expect(seen).toMatchObject({ roundId: round.roundId, status: 'open', targetCents: 10_000, raisedCents: 0 });

      const low = await errorOf(funding.pledge(ivy, { roundId: round.roundId, amountCents: 99 }));
      expect(low).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'amountCents' }] } });
      const pledge = await funding.pledge(ivy, { roundId: round.roundId, amountCents: 6_000 });
      expect(pledge).toMatchObject({ status: 'committed', amountCents: 6_000, investorTenantId: ivy.tenantId, investorUserId: ivy.userId, investorName: 'Ivy', paidOutCents: 0 });
      const over = await errorOf(funding.pledge(investor(), { roundId: round.roundId, amountCents: 4_001 }));
      expect(over).toMatchObject({ code: 'CONFLICT', details: { field: 'amountCents', remainingCents: 4_000 } });
      expect(await funding.getRound(owner, { roundId: round.roundId })).toMatchObject({ raisedCents: 6_000, pledgeCount: 1 });

      const draft = await roundOf({}, false);
      expect(await codeOf(funding.getRound(ivy, { roundId: draft.round.roundId }))).toBe('NOT_FOUND');
      expect(await codeOf(funding.pledge(ivy, { roundId: draft.round.roundId, amountCents: 500 }))).toBe('NOT_FOUND');
      expect(await codeOf(funding.pledge(ivy, { roundId: 'rnd_unknown', amountCents: 500 }))).toBe('NOT_FOUND');

      // Once closed: the holder still sees it (and is told why a pledge is refused); a stranger does not.
      await funding.moveRound(owner, { roundId: round.roundId, move: 'close' });
      expect((await funding.getRound(ivy, { roundId: round.roundId })).status).toBe('closed');
      expect(await errorOf(funding.pledge(ivy, { roundId: round.roundId, amountCents: 500 }))).toMatchObject({ code: 'CONFLICT', details: { status: 'closed' } });
      expect(await codeOf(funding.getRound(investor(), { roundId: round.roundId }))).toBe('NOT_FOUND');
    });

    it('never raises past the target under 20 parallel pledges, and raised equals the committed pledges', async () => {
      const { owner, round } = await roundOf();
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => funding.pledge(investor(), { roundId: round.roundId, amountCents: 700 })));
      const accepted = results.filter((r) => r.status === 'fulfilled').length;
      expect(accepted).toBe(14); // 14 x 700 = 9,800 <= 10,000 < 15 x 700
      for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).message).toContain('target');
      const stored = await funding.getRound(owner, { roundId: round.roundId });
      expect(stored).toMatchObject({ raisedCents: 9_800, pledgeCount: 14 });
      expect(sum((await committed(owner, round.roundId)).map((p) => p.amountCents))).toBe(9_800);
    });

    it('cancels a pledge while the round is open, once, and keeps raised equal to the committed pledges under parallel pledges and cancels', async () => {
      const { owner, round } = await roundOf({ targetCents: 100_000 });
      const ivy = investor();
      const pledges = await Promise.all(Array.from({ length: 6 }, () => funding.pledge(ivy, { roundId: round.roundId, amountCents: 1_000 })));
      expect(await codeOf(funding.cancelPledge(investor(), { pledgeId: pledges[0]!.pledgeId }))).toBe('NOT_FOUND');
      const [cancels, more] = await Promise.all([
        Promise.allSettled([...pledges.slice(0, 3).map((p) => funding.cancelPledge(ivy, { pledgeId: p.pledgeId })), funding.cancelPledge(ivy, { pledgeId: pledges[0]!.pledgeId })]),
        Promise.allSettled(Array.from({ length: 5 }, () => funding.pledge(investor(), { roundId: round.roundId, amountCents: 2_000 }))),
      ]);
      expect(cancels.filter((r) => r.status === 'fulfilled')).toHaveLength(3); // the repeated cancel finds it canceled
      expect(more.every((r) => r.status === 'fulfilled')).toBe(true);
      const stored = await funding.getRound(owner, { roundId: round.roundId });
      expect(stored).toMatchObject({ raisedCents: 3 * 1_000 + 5 * 2_000, pledgeCount: 8 });
      expect(sum((await committed(owner, round.roundId)).map((p) => p.amountCents))).toBe(stored.raisedCents);
      const positions = (await funding.myPositions(ivy, {})).items;
      expect(positions.map((p) => p.pledge.status).sort()).toEqual(['canceled', 'canceled', 'canceled', 'committed', 'committed', 'committed']);
      await funding.moveRound(owner, { roundId: round.roundId, move: 'close' });
      expect(await errorOf(funding.cancelPledge(ivy, { pledgeId: pledges[5]!.pledgeId }))).toMatchObject({ code: 'CONFLICT', details: { status: 'closed' } });
    });

    it("shows investors their positions across tenants and the round's tenant its pledges, nothing else of the other", async () => {
      const a = await roundOf({ name: 'A' });
      const b = await roundOf({ name: 'B' });
      const ivy = investor('Ivy');
      await funding.pledge(ivy, { roundId: a.round.roundId, amountCents: 500 });
      await funding.pledge(ivy, { roundId: b.round.roundId, amountCents: 700 });
      await funding.pledge(investor('Other'), { roundId: a.round.roundId, amountCents: 300 });
      const page1 = await funding.myPositions(ivy, { limit: 1 });
      const page2 = await funding.myPositions(ivy, { limit: 1, cursor: page1.nextCursor });
      const positions = [...page1.items, ...page2.items];
      expect(positions.map((p) => [p.round.name, p.pledge.amountCents])).toEqual([['B', 700], ['A', 500]]);
      expect(positions[0]!.round).not.toHaveProperty('paidOutCents');
      expect(page2.nextCursor).toBeUndefined();
      // A user of the same tenant sees none of Ivy's positions.
      expect((await funding.myPositions(callerOf(ivy.tenantId), {})).items).toEqual([]);

      const pledges = (await funding.listPledges(a.owner, { roundId: a.round.roundId })).items;
      expect(pledges.map((p) => [p.investorName, p.amountCents])).toEqual([['Other', 300], ['Ivy', 500]]);
      expect(await codeOf(funding.listPledges(ivy, { roundId: a.round.roundId }))).toBe('NOT_FOUND');
      expect(await codeOf(funding.listPledges(b.owner, { roundId: a.round.roundId }))).toBe('NOT_FOUND');
      expect(await funding.hasOpenRound(a.owner, { appId: 'app_1' })).toEqual({ appId: 'app_1', open: true });
      expect(await funding.hasOpenRound(a.owner, { appId: 'app_2' })).toEqual({ appId: 'app_2', open: false });
      expect(await funding.hasOpenRound(ivy, { appId: 'app_1' })).toEqual({ appId: 'app_1', open: false });
    });

    it('pays revenue pro rata by largest remainder up to the cap, once per report (the worked example)', async () => {
      const { owner, round } = await roundOf();
      const [a, b, c] = [investor('A'), investor('B'), investor('C')];
      // Sequential, so the pledge ids (time-ordered) put A before B: the tie of the second report goes to A.
      const pa = await funding.pledge(a, { roundId: round.roundId, amountCents: 3_000 });
      const pb = await funding.pledge(b, { roundId: round.roundId, amountCents: 3_000 });
      const pc = await funding.pledge(c, { roundId: round.roundId, amountCents: 4_000 });
      const runtime = callerOf(owner.tenantId, 'app-key', ['app']);
      // Nothing is paid while the round is open.
      expect((await funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 100_050, reportId: 'r0' })).rounds).toEqual([]);
      await funding.moveRound(owner, { roundId: round.roundId, move: 'close' });

      const first = await funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 100_050, reportId: 'r1' });
      expect(first).toEqual({
        reportId: 'r1',
        appId: 'app_1',
        grossCents: 100_050,
        feeCents: 3_002, // 3,001.5 rounded half up
        netCents: 97_048,
        rounds: [{ roundId: round.roundId, poolCents: 9_704, paidCents: 9_704, status: 'closed', alreadyRecorded: false }],
      });
      const paid = async () => {
        const pledges = await committed(owner, round.roundId);
        return Object.fromEntries(pledges.map((p) => [p.pledgeId, p.paidOutCents]));
      };
      expect(await paid()).toEqual({ [pa.pledgeId]: 2_911, [pb.pledgeId]: 2_911, [pc.pledgeId]: 3_882 });
      // The same report again, also many times at once, pays nothing more.
      const repeats = await Promise.all(Array.from({ length: 5 }, () => funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 100_050, reportId: 'r1' })));
      for (const repeat of repeats) expect(repeat.rounds).toEqual([{ roundId: round.roundId, poolCents: 9_704, paidCents: 9_704, status: 'closed', alreadyRecorded: true }]);
      expect(await funding.getRound(owner, { roundId: round.roundId })).toMatchObject({ paidOutCents: 9_704 });

      // The second report is cut to the cap (1.5 x 10,000 - 9,704 = 5,296) and repays the round.
      const second = await funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 100_050, reportId: 'r2' });
      expect(second.rounds).toEqual([{ roundId: round.roundId, poolCents: 9_704, paidCents: 5_296, status: 'repaid', alreadyRecorded: false }]);
      expect(await paid()).toEqual({ [pa.pledgeId]: 4_500, [pb.pledgeId]: 4_500, [pc.pledgeId]: 6_000 });
      expect(await funding.getRound(owner, { roundId: round.roundId })).toMatchObject({ status: 'repaid', paidOutCents: 15_000 });
      expect((await funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 100_050, reportId: 'r3' })).rounds).toEqual([]);
      expect((await funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 100_050, reportId: 'r2' })).rounds[0]).toMatchObject({ alreadyRecorded: true, status: 'repaid' });

      const ledger = (await funding.listPayouts(a, {})).items;
      expect(ledger.map((p) => [p.reportId, p.amountCents])).toEqual([['r2', 1_589], ['r1', 2_911]]);
      expect(ledger[0]).toMatchObject({ roundId: round.roundId, appId: 'app_1', pledgeId: pa.pledgeId });
      expect((await funding.listPayouts(callerOf(a.tenantId), {})).items).toEqual([]);
    });

    it('keeps payouts exact and within the cap when many reports arrive at once', async () => {
      const { owner, round } = await roundOf({ capMultipleBps: 10_000, revenueShareBps: 5_000 });
      const investors = [investor(), investor(), investor()];
      for (const [i, who] of investors.entries()) await funding.pledge(who, { roundId: round.roundId, amountCents: [1_000, 2_000, 3_333][i]! });
      await funding.moveRound(owner, { roundId: round.roundId, move: 'close' });
      const runtime = callerOf(owner.tenantId, 'app-key', ['app']);
      // Each report pays floor((1,001 - 30) x 0.5) = 485; the cap is 6,333: 13 reports fill it, the 14th is cut.
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => funding.recordRevenue(runtime, { appId: 'app_1', grossCents: 1_001, reportId: `p${i}` })));
      const paidNow = sum(results.flatMap((r) => r.rounds.map((x) => x.paidCents)));
      const stored = await funding.getRound(owner, { roundId: round.roundId });
      expect(stored).toMatchObject({ status: 'repaid', paidOutCents: 6_333 });
      expect(paidNow).toBe(6_333);
      expect(sum((await committed(owner, round.roundId)).map((p) => p.paidOutCents))).toBe(6_333);
      const ledgers = await Promise.all(investors.map(async (who) => sum((await funding.listPayouts(who, { limit: 100 })).items.map((p) => p.amountCents))));
      expect(sum(ledgers)).toBe(6_333);
    });
  });
}
