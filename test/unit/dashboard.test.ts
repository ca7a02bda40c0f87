// get_overview through the real execute handler: sections load in parallel, a failing or hanging
// service marks only its section unavailable, and what the caller may not see is marked, not refused.
import { describe, expect, it } from 'vitest';
import { PlatformError } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { createDashboardPlugin, SECTIONS } from '#functions/execute/plugins/dashboard';
import { PLUGINS } from '#functions/execute/registry';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createHarness } from '../support/execute-harness.ts';

const DASHBOARD = '/api/execute/moz.platform.dashboard';
const DEADLINE_MS = 300;

async function setup(plan: 'free' | 'enterprise', breakServices: (connectors: ConnectorBundle) => ConnectorBundle = (c) => c) {
  const connectors = breakServices(
    await createInProcessConnectors({ settings: { BILLING_DEFAULT_PLAN: plan, PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: 'http://localhost/checkout' } }),
  );
  const plugins = new Map(PLUGINS);
  plugins.set('moz.platform.dashboard', async () => createDashboardPlugin(SECTIONS, DEADLINE_MS));
  const harness = createHarness(connectors, { plugins });
  const overview = async (tenantId: string, roles = ['owner'], sub = 'u1') => {
    const headers = { authorization: `Bearer ${harness.token(tenantId, roles, sub)}` };
    return harness.call({ path: DASHBOARD, headers, body: { action: 'get_overview' } });
  };
  return { harness, connectors, overview };
}

describe('dashboard get_overview', () => {
  it('fills every section the caller may see', async () => {
    const { overview, connectors } = await setup('enterprise');
    const ctx = { tenantId: 'dash-full', userId: 'u1', roles: ['owner'], correlationId: 'c' };
    await overview('dash-full');
    const app = await connectors.hosting.createApp(ctx, { name: 'Shop', slug: 'shop' });
    const campaign = await connectors.growth.createCampaign(ctx, { appId: app.appId, name: 'C', channel: 'ads', budgetCents: 100, goal: { metric: 'clicks', target: 5 } });
    await connectors.growth.moveCampaign(ctx, { campaignId: campaign.campaignId, move: 'launch' });
    const res = await overview('dash-full');
    expect(res.status).toBe(200);
    const { sections } = res.json.data;
    expect(sections.apps).toMatchObject({ status: 'ok', data: { counts: { apps: 1 }, apps: [{ name: 'Shop', recentDeployments: [] }] } });
    expect(sections.plan).toMatchObject({ status: 'ok', data: { plan: 'enterprise', usage: { team_members: 1 } } });
    expect(sections.campaigns).toMatchObject({ status: 'ok', data: { items: [{ campaignId: campaign.campaignId, status: 'active' }] } });
    expect(sections.messages).toEqual({ status: 'ok', data: { unreadMessages: 0, unreadConversations: [], more: false } });
    expect(sections.fundingPositions).toEqual({ status: 'ok', data: { items: [] } });
    expect(sections.fundingRounds).toEqual({ status: 'ok', data: { items: [] } });
  });

  it('marks sections the plan does not include, and never refuses the overview for them', async () => {
    const { overview } = await setup('free');
    const res = await overview('dash-free');
    expect(res.status).toBe(200);
    expect(res.json.data.sections.campaigns).toEqual({ status: 'not_allowed', reason: 'your plan does not include growth_campaigns' });
    expect(res.json.data.sections.fundingRounds).toEqual({ status: 'not_allowed', reason: 'your plan does not include funding_rounds' });
    expect(res.json.data.sections.fundingPositions.status).toBe('ok');
    expect(res.json.data.sections.apps.status).toBe('ok');
  });

  it('marks the sections the caller’s roles do not allow', async () => {
    const { overview, harness } = await setup('enterprise');
    await overview('dash-roles');
    await overview('dash-roles', [], 'viewer-1');
    const admin = { authorization: `Bearer ${harness.token('dash-roles', ['owner'], 'u1')}` };
    const call = (body: object) => harness.call({ path: '/api/execute/moz.platform.admin', headers: admin, body });
    expect((await call({ action: 'upsert_role', name: 'viewer', permissions: ['read:dashboard', 'read:hosting'] })).status).toBe(200);
    expect((await call({ action: 'update_user_roles', userId: 'viewer-1', roles: ['viewer'] })).status).toBe(200);
    const res = await overview('dash-roles', [], 'viewer-1');
    expect(res.status).toBe(200);
    expect(res.json.data.sections.apps.status).toBe('ok');
    expect(res.json.data.sections.plan).toEqual({ status: 'not_allowed', reason: 'needs the read:billing permission' });
    expect(res.json.data.sections.messages).toEqual({ status: 'not_allowed', reason: 'needs the read:community permission' });
  });

  it('answers 200 with a failed and a hanging service marked unavailable, within the section deadline', async () => {
    const { overview } = await setup('enterprise', (connectors) => ({
      ...connectors,
      growth: {
        ...connectors.growth,
        listCampaigns: async () => {
          throw new Error('db-internal.cluster:5432 refused');
        },
      },
      hosting: { ...connectors.hosting, getOverview: () => new Promise(() => undefined) },
      billing: {
        ...connectors.billing,
        getUsage: async () => {
          throw new PlatformError('UPSTREAM_UNAVAILABLE', 'The billing service is unavailable; try again');
        },
      },
    }));
    const res = await overview('dash-broken');
    expect(res.status).toBe(200);
    const { sections } = res.json.data;
    expect(sections.campaigns).toEqual({ status: 'unavailable', reason: 'the service failed' });
    expect(sections.apps).toEqual({ status: 'unavailable', reason: `no answer within ${DEADLINE_MS} ms` });
    expect(sections.plan).toEqual({ status: 'unavailable', reason: 'The billing service is unavailable; try again' });
    expect(JSON.stringify(res.json)).not.toContain('5432');
  });
});
