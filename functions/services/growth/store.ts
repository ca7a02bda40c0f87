// Growth's store, over the table port. A campaign is one item; its counts are top-level numbers so a
// report adds to them atomically (the port adds to top-level attributes), and every change is an
// update of the attributes it changes, so a lifecycle move never overwrites counts added meanwhile.
import type { Campaign, CampaignStatus } from '#connectors/contracts/growth';
import { conflict } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { put, update, when, writeOrThrow, type Condition, type Table } from '#functions/shared/table';
import { CAMPAIGN_PREFIX, campaignSk, tenantKey, tenantPk } from './keys.ts';

type Counts = Campaign['metrics'];
/** The stored campaign: `metrics` flattened into top-level counters. */
type CampaignItem = Omit<Campaign, 'metrics'> & Counts;

export interface MetricsReport extends Counts {
  spendCents: number;
}

export const CHANGED_CONCURRENTLY = 'The campaign changed while you were updating it; read it again and retry';

const toCampaign = ({ impressions, clicks, conversions, ...rest }: CampaignItem): Campaign => ({ ...rest, metrics: { impressions, clicks, conversions } });
const toItem = ({ metrics, ...rest }: Campaign): CampaignItem => ({ ...rest, ...metrics });

export interface GrowthStore {
  getCampaign(tenantId: string, campaignId: string): Promise<Campaign | undefined>;
  /** Newest first; a filtered page is still full unless the list ends. */
  listCampaigns(tenantId: string, page: PageRequest, filter: { status?: CampaignStatus; appId?: string }): Promise<Page<Campaign>>;
  createCampaign(tenantId: string, campaign: Campaign): Promise<void>;
  /** Sets `changes` and bumps the version if the campaign is still at `expectedVersion`; CONFLICT otherwise. */
  updateCampaign(tenantId: string, campaignId: string, changes: Partial<Campaign>, expectedVersion: number): Promise<void>;
  /**
   * Adds a report's counts and spend in one atomic update while the campaign is in one of `statuses` and
   * its spend stays within `budgetCents`; undefined (nothing written) otherwise. Answers the campaign after it.
   */
  addMetrics(tenantId: string, campaignId: string, report: MetricsReport, guard: { budgetCents: number; statuses: readonly CampaignStatus[]; at: string }): Promise<Campaign | undefined>;
}

export function createGrowthStore(table: Table): GrowthStore {
  const key = (tenantId: string, campaignId: string) => tenantKey(tenantId, campaignSk(campaignId));

  return {
    async getCampaign(tenantId, campaignId) {
      const item = await table.get<CampaignItem>(key(tenantId, campaignId));
      return item && toCampaign(item);
    },

    async listCampaigns(tenantId, page, { status, appId }) {
      const clauses: Condition[] = [...(status ? [when.eq('status', status)] : []), ...(appId ? [when.eq('appId', appId)] : [])];
      const filter = clauses.length === 0 ? undefined : clauses.length === 1 ? clauses[0] : when.and(...clauses);
      const result = await table.query<CampaignItem>(tenantPk(tenantId), CAMPAIGN_PREFIX, page, { newestFirst: true, filter });
      return { ...result, items: result.items.map(toCampaign) };
    },

    async createCampaign(tenantId, campaign) {
      await writeOrThrow(table, [put(key(tenantId, campaign.campaignId), toItem(campaign), when.notExists())], () => conflict(CHANGED_CONCURRENTLY));
    },

    async updateCampaign(tenantId, campaignId, changes, expectedVersion) {
      const { metrics: _metrics, ...set } = changes;
      await writeOrThrow(table, [update(key(tenantId, campaignId), { set: { ...set, version: expectedVersion + 1 } }, when.eq('version', expectedVersion))], () =>
        conflict(CHANGED_CONCURRENTLY),
      );
    },

    async addMetrics(tenantId, campaignId, { spendCents, ...counts }, { budgetCents, statuses, at }) {
      const outcome = await table.write([
        update(
          key(tenantId, campaignId),
          { add: { ...counts, spentCents: spendCents }, set: { updatedAt: at } },
          when.and(when.or(...statuses.map((status) => when.eq('status', status))), when.below('spentCents', budgetCents - spendCents + 1)),
        ),
      ]);
      return outcome.ok && outcome.item ? toCampaign(outcome.item as CampaignItem) : undefined;
    },
  };
}
