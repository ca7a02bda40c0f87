// The Growth wire contract: a tenant's marketing campaigns for its apps, their lifecycle, the metrics
// its managed runtime reports, and the stats derived from them. Money is integer cents.
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput } from './schema.ts';

export const CAMPAIGN_CHANNELS = ['email', 'social', 'ads', 'referral'] as const;
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'completed', 'canceled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The lifecycle moves, by the action that makes them. */
export const CAMPAIGN_MOVES = ['launch', 'pause', 'resume', 'complete', 'cancel'] as const;
export type CampaignMove = (typeof CAMPAIGN_MOVES)[number];

const MAX_CENTS = 1_000_000_000_00; // a billion dollars: far above any budget, far below float trouble
const cents = () => z.int().check(z.minimum(0), z.maximum(MAX_CENTS));
const count = () => z.int().check(z.minimum(0), z.maximum(1_000_000_000));
const name = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const time = () => z.iso.datetime({ offset: true });

const goal = lazy(() => z.object({ metric: z.enum(['clicks', 'conversions']), target: z.int().check(z.minimum(1), z.maximum(1_000_000_000)) }));
const metrics = lazy(() => z.object({ impressions: z.int(), clicks: z.int(), conversions: z.int() }));

export const campaign = lazy(() => z.object({
  campaignId: z.string(),
  appId: z.string(),
  name: z.string(),
  channel: z.enum(CAMPAIGN_CHANNELS),
  status: z.enum(CAMPAIGN_STATUSES),
  budgetCents: z.int(),
  spentCents: z.int(),
  startAt: z.optional(isoTime()),
  endAt: z.optional(isoTime()),
  goal: goal(),
  metrics: metrics(),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  version: z.int(),
}));
export type Campaign = z.output<ReturnType<typeof campaign>>;

const campaignRef = { campaignId: id() };
const editable = lazy(() => ({
  name: name(),
  channel: z.enum(CAMPAIGN_CHANNELS),
  budgetCents: cents().check(z.minimum(1)),
  startAt: z.optional(time()),
  endAt: z.optional(time()),
  goal: goal(),
}));

export const campaignStats = lazy(() => z.object({
  campaignId: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  impressions: z.int(),
  clicks: z.int(),
  conversions: z.int(),
  spentCents: z.int(),
  budgetCents: z.int(),
  /** clicks / impressions, a fraction 0..1 with 4 decimals; null without impressions. */
  ctr: z.nullable(z.number()),
  /** conversions / clicks, a fraction with 4 decimals; null without clicks. */
  conversionRate: z.nullable(z.number()),
  /** spentCents / conversions, whole cents rounded half up; null without conversions. */
  costPerConversionCents: z.nullable(z.int()),
  /** The goal metric's count / target, a fraction with 4 decimals (may pass 1). */
  goalProgress: z.number(),
  budgetRemainingCents: z.int(),
}));

export const growthContract = defineContract({
  listCampaigns: () => ({ input: z.strictObject({ ...pageInput, status: z.optional(z.enum(CAMPAIGN_STATUSES)), appId: z.optional(id()) }), output: page(campaign()) }),
  getCampaign: () => ({ input: z.strictObject(campaignRef), output: campaign() }),
  createCampaign: () => ({ input: z.strictObject({ appId: id(), ...editable() }), output: campaign() }),
  /** Drafts only; the fields given replace the stored ones. */
  updateCampaign: () => ({
    input: z.strictObject({
      ...campaignRef,
      expectedVersion: z.optional(z.int().check(z.minimum(1))),
      name: z.optional(editable().name),
      channel: z.optional(editable().channel),
      budgetCents: z.optional(editable().budgetCents),
      startAt: z.optional(z.nullable(time())),
      endAt: z.optional(z.nullable(time())),
      goal: z.optional(goal()),
    }),
    output: campaign(),
  }),
  /** One lifecycle move (launch, pause, resume, complete, cancel); any other is a 409 naming the status. */
  moveCampaign: () => ({ input: z.strictObject({ ...campaignRef, move: z.enum(CAMPAIGN_MOVES) }), output: campaign() }),
  /** The tenant's managed runtime (app key): adds counts and spend at once, or refuses the whole report. */
  recordCampaignMetrics: () => ({
    input: z.strictObject({ ...campaignRef, impressions: z._default(count(), 0), clicks: z._default(count(), 0), conversions: z._default(count(), 0), spendCents: z._default(cents(), 0) }),
    output: campaign(),
  }),
  getCampaignStats: () => ({ input: z.strictObject(campaignRef), output: campaignStats() }),
});

export type GrowthContract = typeof growthContract;
