// Growth over HTTP against `npm start` (managed: the real services on DynamoDB Local), one `it` per
// promise of issue 9's Growth part.
import { describe, expect, it } from 'vitest';
import { okData, ownerWithApp, usePlatform } from '../support/platform-process.ts';

const ADMIN = 'moz.platform.admin';
const GROWTH = 'moz.platform.growth';

describe('growth campaigns over HTTP (managed)', () => {
  const platform = usePlatform();

  const data = okData;
  const ownerOn = (plan: 'free' | 'premium') => ownerWithApp(platform, 'growth', plan);
  const newCampaign = (appId: string, budgetCents = 1_000) => ({
    action: 'create_campaign',
    appId,
    name: 'Spring',
    channel: 'ads',
    budgetCents,
    goal: { metric: 'clicks', target: 100 },
  });

  it('needs the growth_campaigns feature (402 on free)', async () => {
    const { owner, appId } = await ownerOn('free');
    const res = await platform.execute(owner, GROWTH, newCampaign(appId));
    expect(res.status).toBe(402);
    expect(res.json.error.details.feature).toBe('growth_campaigns');
  });

  it('creates campaigns for the tenant’s own apps only, edits drafts only, and names the status on a refused move', async () => {
    const { owner, appId } = await ownerOn('premium');
    const other = await ownerOn('premium');
    expect((await platform.execute(owner, GROWTH, newCampaign(other.appId))).status).toBe(404);
    const bad = await platform.execute(owner, GROWTH, { ...newCampaign(appId), channel: 'billboard' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0].field).toBe('channel');

    const campaign = await data(platform.execute(owner, GROWTH, newCampaign(appId)));
    expect((await platform.execute(other.owner, GROWTH, { action: 'get_campaign', campaignId: campaign.campaignId })).status).toBe(404);
    await data(platform.execute(owner, GROWTH, { action: 'update_campaign', campaignId: campaign.campaignId, budgetCents: 2_000 }));
    await data(platform.execute(owner, GROWTH, { action: 'launch_campaign', campaignId: campaign.campaignId }));
    const edit = await platform.execute(owner, GROWTH, { action: 'update_campaign', campaignId: campaign.campaignId, name: 'Late' });
    expect(edit.status).toBe(409);
    const again = await platform.execute(owner, GROWTH, { action: 'launch_campaign', campaignId: campaign.campaignId });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('active');
    await data(platform.execute(owner, GROWTH, { action: 'pause_campaign', campaignId: campaign.campaignId }));
    await data(platform.execute(owner, GROWTH, { action: 'complete_campaign', campaignId: campaign.campaignId }));
    expect((await platform.execute(owner, GROWTH, { action: 'resume_campaign', campaignId: campaign.campaignId })).status).toBe(409);
  });

  it('takes metrics from the runtime’s app key, never past the budget, also in parallel, and derives the stats', async () => {
    const { tenantId, owner, appId } = await ownerOn('premium');
    const { campaignId } = await data(platform.execute(owner, GROWTH, newCampaign(appId, 100)));
    await data(platform.execute(owner, GROWTH, { action: 'launch_campaign', campaignId }));
    const { secret } = await data(platform.execute(owner, ADMIN, { action: 'create_app_key', name: 'runtime' }));
    const runtime = { appKey: secret as string };
    const report = { action: 'record_campaign_metrics', campaignId, impressions: 40, clicks: 4, conversions: 1, spendCents: 10 };
    // A member may not report; the runtime may.
    const member = { token: await platform.token(tenantId, ['member'], 'member-1') };
    expect((await platform.execute(member, GROWTH, report)).status).toBe(403);
    const results = await Promise.all(Array.from({ length: 12 }, () => platform.execute(runtime, GROWTH, report)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2);
    const stats = await data(platform.execute(owner, GROWTH, { action: 'get_campaign_stats', campaignId }));
    expect(stats).toMatchObject({ impressions: 400, clicks: 40, conversions: 10, spentCents: 100, ctr: 0.1, conversionRate: 0.25, costPerConversionCents: 10, goalProgress: 0.4 });
    const over = await platform.execute(runtime, GROWTH, { ...report, spendCents: 1 });
    expect(over.status).toBe(409);
    expect(over.json.error.details.field).toBe('spendCents');
  });
});
