// Growth's rules: campaigns of the tenant's apps, edited only as drafts, moved through the lifecycle,
// their metrics added by the tenant's runtime without ever spending past the budget.
import type { Campaign, GrowthContract } from '#connectors/contracts/growth';
import { conflict, invalid, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { newId } from './keys.ts';
import { REPORTING, nextStatus } from './lifecycle.ts';
import { statsOf } from './stats.ts';
import type { GrowthStore } from './store.ts';

export interface GrowthDeps {
  store: GrowthStore;
  now?: () => Date;
}

const fieldError = (field: string, message: string) => invalid(`${field}: ${message}`, { issues: [{ field, message }] });

/** A schedule ends after it starts. */
function assertSchedule({ startAt, endAt }: { startAt?: string; endAt?: string }) {
  if (startAt !== undefined && endAt !== undefined && Date.parse(endAt) <= Date.parse(startAt)) throw fieldError('endAt', 'must be after startAt');
}

export function createGrowthOperations({ store, now = () => new Date() }: GrowthDeps): OperationsOf<GrowthContract> {
  async function load(ctx: CallContext, campaignId: string): Promise<Campaign> {
    const campaign = await store.getCampaign(ctx.tenantId, campaignId);
    if (!campaign) throw notFound('Campaign');
    return campaign;
  }

  async function change(ctx: CallContext, campaign: Campaign, changes: Partial<Campaign>): Promise<Campaign> {
    const updatedAt = now().toISOString();
    await store.updateCampaign(ctx.tenantId, campaign.campaignId, { ...changes, updatedAt }, campaign.version);
    // Counts may have grown meanwhile (reports do not bump the version): answer what is stored.
    return load(ctx, campaign.campaignId);
  }

  return {
    async listCampaigns(ctx, { limit, cursor, status, appId }) {
      return store.listCampaigns(ctx.tenantId, { limit, cursor }, { status, appId });
    },

    getCampaign: (ctx, { campaignId }) => load(ctx, campaignId),

    async createCampaign(ctx, { appId, name, channel, budgetCents, startAt, endAt, goal }) {
      assertSchedule({ startAt, endAt });
      const at = now();
      const campaign: Campaign = {
        campaignId: newId('cmp', at),
        appId,
        name,
        channel,
        status: 'draft',
        budgetCents,
        spentCents: 0,
        ...(startAt !== undefined && { startAt }),
        ...(endAt !== undefined && { endAt }),
        goal,
        metrics: { impressions: 0, clicks: 0, conversions: 0 },
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        version: 1,
      };
      await store.createCampaign(ctx.tenantId, campaign);
      return campaign;
    },

    async updateCampaign(ctx, { campaignId, expectedVersion, ...fields }) {
      const campaign = await load(ctx, campaignId);
      if (expectedVersion !== undefined && expectedVersion !== campaign.version) {
        throw conflict(`The campaign is at version ${campaign.version}, not ${expectedVersion}; read it again and retry`);
      }
      if (campaign.status !== 'draft') throw conflict(`Only a draft campaign can be edited; this one is ${campaign.status}`, { status: campaign.status });
      // null clears a schedule date; undefined leaves it.
      const changes: Partial<Campaign> = {};
      for (const [field, value] of Object.entries(fields)) if (value !== undefined) Object.assign(changes, { [field]: value ?? undefined });
      assertSchedule({ startAt: fields.startAt === undefined ? campaign.startAt : (fields.startAt ?? undefined), endAt: fields.endAt === undefined ? campaign.endAt : (fields.endAt ?? undefined) });
      return change(ctx, campaign, changes);
    },

    async moveCampaign(ctx, { campaignId, move }) {
      const campaign = await load(ctx, campaignId);
      return change(ctx, campaign, { status: nextStatus(campaign, move, now()) });
    },

    async recordCampaignMetrics(ctx, { campaignId, impressions, clicks, conversions, spendCents }) {
      const campaign = await load(ctx, campaignId);
      if (!REPORTING.includes(campaign.status)) {
        throw conflict(`Metrics are taken while a campaign is active or paused; this one is ${campaign.status}`, { status: campaign.status });
      }
      const report = { impressions, clicks, conversions, spendCents };
      const updated = await store.addMetrics(ctx.tenantId, campaignId, report, { budgetCents: campaign.budgetCents, statuses: REPORTING, at: now().toISOString() });
      if (updated) return updated;
      // Refused whole: the spend would pass the budget (now, after the reports that landed first), or the status changed.
      const current = await load(ctx, campaignId);
      if (!REPORTING.includes(current.status)) throw conflict(`The campaign became ${current.status}; metrics are not taken`, { status: current.status });
      throw conflict(`This report's spend of ${spendCents} cents would pass the budget: ${current.budgetCents - current.spentCents} cents remain`, {
        field: 'spendCents',
        budgetRemainingCents: current.budgetCents - current.spentCents,
      });
    },

    async getCampaignStats(ctx, { campaignId }) {
      return statsOf(await load(ctx, campaignId));
    },
  };
}
