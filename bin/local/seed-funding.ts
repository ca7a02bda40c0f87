// Demo Funding data for `npm start`: an open round of the demo app (published in Discovery, as pledges
// require) with a pledge from a user of another demo tenant. Idempotent, and it finishes a run that
// stopped halfway: it reuses the demo app's round, opens it if still a draft, pledges if nobody has.
// The demo owner pledges as well, so its dashboard's funding positions are not empty.
import { PlatformError, type CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';

export const DEMO_INVESTOR: CallContext = {
  tenantId: 'demo-investors',
  userId: 'investor-1',
  roles: ['member'],
  correlationId: 'seed',
  displayName: 'Demo Investor',
};

export async function seedFunding({ funding, hosting, discovery, identity }: ConnectorBundle, owner: CallContext): Promise<void> {
  const app = (await hosting.listApps(owner, { limit: 1 })).items[0];
  if (!app) return;
  // The Discovery seed may have published the demo app already; otherwise publish it here.
  try {
    await discovery.getListing(owner, { appId: app.appId });
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'NOT_FOUND')) throw error;
    await discovery.publishListing(owner, { appId: app.appId, name: app.name, tagline: 'The seeded demo app', category: 'demo' });
  }

  let round =
    (await funding.listRounds(owner, { limit: 1, appId: app.appId })).items[0] ??
    (await funding.createRound(owner, {
      appId: app.appId,
      name: 'Demo seed round',
      targetCents: 5_000_000,
      minPledgeCents: 10_000,
      revenueShareBps: 500,
      capMultipleBps: 20_000,
    }));
  if (round.status === 'draft') round = await funding.moveRound(owner, { roundId: round.roundId, move: 'open' });
  if (round.status !== 'open' || round.pledgeCount > 0) return;

  await identity.resolveUser(DEMO_INVESTOR, { username: 'investor-1', email: 'investor-1@example.com', displayName: 'Demo Investor', tokenRoles: ['member'] });
  await funding.pledge(DEMO_INVESTOR, { roundId: round.roundId, amountCents: 250_000 });
  // The owner backs its own round too, so its dashboard shows a funding position at once.
  await funding.pledge(owner, { roundId: round.roundId, amountCents: 50_000 });
}
