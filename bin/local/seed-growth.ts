// Demo Growth data for `npm start`: an active campaign of the demo app with some reported metrics.
import type { CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';

export async function seedGrowth({ growth, hosting }: ConnectorBundle, owner: CallContext): Promise<void> {
  if ((await growth.listCampaigns(owner, { limit: 1 })).items.length > 0) return;
  const app = (await hosting.listApps(owner, { limit: 1 })).items[0];
  if (!app) return;
  const campaign = await growth.createCampaign(owner, {
    appId: app.appId,
    name: 'Launch week',
    channel: 'social',
    budgetCents: 50_000,
    goal: { metric: 'conversions', target: 200 },
  });
  await growth.moveCampaign(owner, { campaignId: campaign.campaignId, move: 'launch' });
  await growth.recordCampaignMetrics(owner, { campaignId: campaign.campaignId, impressions: 12_400, clicks: 620, conversions: 48, spendCents: 18_600 });
}
