// Funding over HTTP against `npm start` (managed: the real services on DynamoDB Local), one `it` per
// promise of issue 9's Funding part.
import { describe, expect, it } from 'vitest';
import { okData, ownerWithApp, usePlatform } from '../support/platform-process.ts';

const ADMIN = 'moz.platform.admin';
const HOSTING = 'moz.platform.hosting';
const DISCOVERY = 'moz.platform.discovery';
const FUNDING = 'moz.platform.funding';
let tenants = 0;

describe('funding rounds over HTTP (managed)', () => {
  const platform = usePlatform();

  const data = okData;
  const freshTenant = (kind: string) => `funding-${kind}-${Date.now().toString(36)}-${tenants++}`;
  /** A fresh tenant's owner, with one app, on `plan`; the app published in Discovery unless told otherwise. */
  async function ownerOn(plan: 'free' | 'business', { publish = true } = {}) {
    const owned = await ownerWithApp(platform, 'funding-owner', plan);
    if (publish) await data(platform.execute(owned.owner, DISCOVERY, { action: 'publish_listing', appId: owned.appId, name: 'Shop', category: 'retail' }));
    return owned;
  }
  /** A member of a fresh tenant on the free plan: investing needs no plan feature. */
  const investor = async (sub = 'ivy') => ({ token: await platform.token(freshTenant('inv'), ['member'], sub) });
  const newRound = (appId: string, over: Record<string, unknown> = {}) => ({
    action: 'create_round',
    appId,
    name: 'Seed',
    targetCents: 10_000,
    minPledgeCents: 100,
    revenueShareBps: 1_000,
    capMultipleBps: 15_000,
    ...over,
  });
  async function openRound(owner: { token: string }, appId: string, over: Record<string, unknown> = {}) {
    const round = await data(platform.execute(owner, FUNDING, newRound(appId, over)));
    await data(platform.execute(owner, FUNDING, { action: 'open_round', roundId: round.roundId }));
    return round.roundId as string;
  }

  it('lets a tenant create a round for its own app, edit it as a draft, open, close or cancel it (402 without funding_rounds)', async () => {
    const free = await ownerOn('free', { publish: false });
    const refused = await platform.execute(free.owner, FUNDING, newRound(free.appId));
    expect(refused.status).toBe(402);
    expect(refused.json.error.details.feature).toBe('funding_rounds');

    const { owner, appId } = await ownerOn('business', { publish: false });
    const other = await ownerOn('business', { publish: false });
    expect((await platform.execute(owner, FUNDING, newRound(other.appId))).status).toBe(404);
    for (const [field, value] of [['revenueShareBps', 5_001], ['capMultipleBps', 9_999], ['minPledgeCents', 0]] as const) {
      const bad = await platform.execute(owner, FUNDING, newRound(appId, { [field]: value }));
      expect(bad.status).toBe(400);
      expect(bad.json.error.details.issues[0].field).toBe(field);
    }
    const round = await data(platform.execute(owner, FUNDING, newRound(appId)));
    expect((await platform.execute(other.owner, FUNDING, { action: 'get_round', roundId: round.roundId })).status).toBe(404);
    await data(platform.execute(owner, FUNDING, { action: 'update_round', roundId: round.roundId, targetCents: 20_000 }));
    await data(platform.execute(owner, FUNDING, { action: 'open_round', roundId: round.roundId }));
    const edit = await platform.execute(owner, FUNDING, { action: 'update_round', roundId: round.roundId, name: 'Late' });
    expect(edit.status).toBe(409);
    const again = await platform.execute(owner, FUNDING, { action: 'open_round', roundId: round.roundId });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('open');
    expect((await data(platform.execute(owner, FUNDING, { action: 'close_round', roundId: round.roundId }))).status).toBe('closed');
    expect((await platform.execute(owner, FUNDING, { action: 'cancel_round', roundId: round.roundId })).status).toBe(409);
    const second = await data(platform.execute(owner, FUNDING, newRound(appId)));
    expect((await data(platform.execute(owner, FUNDING, { action: 'cancel_round', roundId: second.roundId }))).status).toBe('canceled');
    const listed = await data(platform.execute(owner, FUNDING, { action: 'list_rounds' }));
    expect(listed.items.map((r: any) => r.status)).toEqual(['canceled', 'closed']);
  });

  it('takes pledges from users of any tenant to an open round of a published app, within the target also in parallel, cancelable while open; each side sees only its own', async () => {
    const { owner, appId } = await ownerOn('business');
    const roundId = await openRound(owner, appId);
    const ivy = await investor('ivy');
    // The investor sees the public terms, never the round's internals.
    const seen = await data(platform.execute(ivy, FUNDING, { action: 'get_round', roundId }));
    expect(seen).toMatchObject({ roundId, status: 'open', raisedCents: 0 });
    expect(seen).not.toHaveProperty('paidOutCents');
    const low = await platform.execute(ivy, FUNDING, { action: 'pledge', roundId, amountCents: 50 });
    expect(low.status).toBe(400);
    expect(low.json.error.details.issues[0].field).toBe('amountCents');
    const mine = await data(platform.execute(ivy, FUNDING, { action: 'pledge', roundId, amountCents: 1_000 }));

    const others = await Promise.all(Array.from({ length: 12 }, (_, i) => investor(`inv-${i}`)));
    const results = await Promise.all(others.map((who) => platform.execute(who, FUNDING, { action: 'pledge', roundId, amountCents: 1_000 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
    const full = await data(platform.execute(owner, FUNDING, { action: 'get_round', roundId }));
    expect(full).toMatchObject({ raisedCents: 10_000, pledgeCount: 10 });

    await data(platform.execute(ivy, FUNDING, { action: 'cancel_pledge', pledgeId: mine.pledgeId }));
    expect((await platform.execute(others[0]!, FUNDING, { action: 'cancel_pledge', pledgeId: mine.pledgeId })).status).toBe(404);
    const pledges = await data(platform.execute(owner, FUNDING, { action: 'list_pledges', roundId, limit: 100 }));
    const committed = pledges.items.filter((p: any) => p.status === 'committed');
    expect(committed.reduce((a: number, p: any) => a + p.amountCents, 0)).toBe(9_000);
    expect((await data(platform.execute(owner, FUNDING, { action: 'get_round', roundId }))).raisedCents).toBe(9_000);
    // The investor lists positions but not the round's pledges; the owner has no positions of theirs.
    const positions = await data(platform.execute(ivy, FUNDING, { action: 'my_positions' }));
    expect(positions.items).toHaveLength(1);
    expect(positions.items[0]).toMatchObject({ pledge: { pledgeId: mine.pledgeId, status: 'canceled' }, round: { roundId } });
    expect((await platform.execute(ivy, FUNDING, { action: 'list_pledges', roundId })).status).toBe(402); // free plan: no funding_rounds
    expect((await data(platform.execute(owner, FUNDING, { action: 'my_positions' }))).items).toEqual([]);

    const unpublished = await ownerOn('business', { publish: false });
    const hidden = await openRound(unpublished.owner, unpublished.appId);
    const refused = await platform.execute(ivy, FUNDING, { action: 'pledge', roundId: hidden, amountCents: 500 });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('not published');
  });

  it('pays reported revenue pro rata (largest remainder) up to the cap, once per report, into each investor’s ledger', async () => {
    const { tenantId, owner, appId } = await ownerOn('business');
    const roundId = await openRound(owner, appId);
    const [a, b, c] = [await investor('a'), await investor('b'), await investor('c')];
    for (const [who, amountCents] of [[a, 3_000], [b, 3_000], [c, 4_000]] as const) await data(platform.execute(who, FUNDING, { action: 'pledge', roundId, amountCents }));
    await data(platform.execute(owner, FUNDING, { action: 'close_round', roundId }));
    const { secret } = await data(platform.execute(owner, ADMIN, { action: 'create_app_key', name: 'runtime' }));
    const runtime = { appKey: secret as string };
    const report = { action: 'record_revenue', appId, grossCents: 100_050, reportId: 'rep-1' };
    const member = { token: await platform.token(tenantId, ['member'], 'member-1') };
    expect((await platform.execute(member, FUNDING, report)).status).toBe(403); // a member may not report; the runtime may

    const first = await data(platform.execute(runtime, FUNDING, report));
    expect(first).toMatchObject({ feeCents: 3_002, netCents: 97_048, rounds: [{ roundId, poolCents: 9_704, paidCents: 9_704, status: 'closed', alreadyRecorded: false }] });
    const twice = await Promise.all([platform.execute(runtime, FUNDING, report), platform.execute(runtime, FUNDING, report)]);
    for (const res of twice) expect(res.json.data.rounds[0]).toMatchObject({ paidCents: 9_704, alreadyRecorded: true });
    const second = await data(platform.execute(runtime, FUNDING, { ...report, reportId: 'rep-2' }));
    expect(second.rounds[0]).toMatchObject({ paidCents: 5_296, status: 'repaid' });

    const ledger = async (who: { token: string }) => (await data(platform.execute(who, FUNDING, { action: 'list_payouts' }))).items.map((p: any) => p.amountCents);
    expect(await ledger(a)).toEqual([1_589, 2_911]);
    expect(await ledger(b)).toEqual([1_589, 2_911]);
    expect(await ledger(c)).toEqual([2_118, 3_882]);
    expect(await data(platform.execute(owner, FUNDING, { action: 'get_round', roundId }))).toMatchObject({ status: 'repaid', paidOutCents: 15_000 });
    const foreign = await ownerOn('business', { publish: false });
    expect((await platform.execute(runtime, FUNDING, { ...report, appId: foreign.appId })).status).toBe(404);
  });

  it('refuses to open a round of an archived app', async () => {
    const { owner, appId } = await ownerOn('business', { publish: false });
    const round = await data(platform.execute(owner, FUNDING, newRound(appId)));
    await data(platform.execute(owner, HOSTING, { action: 'delete_app', appId }));
    const res = await platform.execute(owner, FUNDING, { action: 'open_round', roundId: round.roundId });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('archived');
  });

  // Enable when Hosting's delete_app asks funding.hasOpenRound (the change is in the Funding report).
  it('refuses (409) to delete an app with an open round', async () => {
    const { owner, appId } = await ownerOn('business', { publish: false });
    await openRound(owner, appId);
    const res = await platform.execute(owner, HOSTING, { action: 'delete_app', appId });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('open funding round');
  });
});
