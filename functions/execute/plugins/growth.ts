// moz.platform.growth: a tenant's campaigns for its apps (all need the growth_campaigns feature).
// The lifecycle actions are one Growth operation each with its move; metrics come from the tenant's
// runtime with its app key.
import * as z from 'zod/mini';
import { growthContract as contract, type CampaignMove } from '#connectors/contracts/growth';
import { forOwnApp } from './guards.ts';
import { action, forwarder, type ActionDefinition, type Plugin } from './types.ts';

const feature = { feature: 'growth_campaigns' } as const;
const toGrowth = forwarder('growth');

const move = (to: CampaignMove, description: string): ActionDefinition =>
  action({
    description,
    permission: 'manage:growth',
    ...feature,
    input: z.omit(contract.moveCampaign.input, { move: true }),
    run: (ctx, input, { growth }) => growth.moveCampaign(ctx, { ...input, move: to }),
  });

export const growthPlugin: Plugin = {
  name: 'moz.platform.growth',
  actions: {
    list_campaigns: toGrowth('listCampaigns', 'Your campaigns, newest first (filter by status or appId)', 'read:growth', feature),
    get_campaign: toGrowth('getCampaign', 'One campaign', 'read:growth', feature),
    create_campaign: forOwnApp(toGrowth('createCampaign', 'A draft campaign for one of your apps (channel, budget, schedule, goal)', 'manage:growth', feature), (input) => input.appId),
    update_campaign: toGrowth('updateCampaign', 'Edit a draft campaign', 'manage:growth', feature),
    launch_campaign: move('launch', 'Start a draft (scheduled if its start lies ahead) or a scheduled campaign'),
    pause_campaign: move('pause', 'Pause an active campaign'),
    resume_campaign: move('resume', 'Resume a paused campaign'),
    complete_campaign: move('complete', 'End an active or paused campaign'),
    cancel_campaign: move('cancel', 'Cancel a draft or scheduled campaign'),
    record_campaign_metrics: toGrowth('recordCampaignMetrics', "Your runtime's report of impressions, clicks, conversions and spend (app key)", 'report:growth', feature),
    get_campaign_stats: toGrowth('getCampaignStats', 'CTR, conversion rate, cost per conversion and goal progress', 'read:growth', feature),
  },
};
