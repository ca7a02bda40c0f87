// The Discovery wire contract: the platform-wide marketplace of published apps (listings, ratings,
// search) and each tenant's quests with its users' progress and points.
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput, webUrl } from './schema.ts';

/** A category or tag: lower-case letters, digits and inner hyphens. */
const label = () =>
  z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(32), z.regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and inner hyphens'));
const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const MAX_TAGS = 10;
export const SORTS = ['rating', 'newest'] as const;
export const QUEST_STATUSES = ['in_progress', 'completed'] as const;

/** What search and get_listing show: the public fields only, never tenant-internal data. */
export const listing = lazy(() => z.object({
  appId: z.string(),
  tenantId: z.string(),
  name: z.string(),
  tagline: z.string(),
  description: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  logoUrl: z.optional(z.string()),
  publishedAt: isoTime(),
  ratingAvg: z.number(),
  ratingCount: z.int(),
}));
export type Listing = z.output<ReturnType<typeof listing>>;

export const quest = lazy(() => z.object({
  questId: z.string(),
  title: z.string(),
  description: z.string(),
  steps: z.array(z.object({ stepId: z.string(), title: z.string() })),
  rewardPoints: z.int(),
  active: z.boolean(),
  createdAt: isoTime(),
}));
export type Quest = z.output<ReturnType<typeof quest>>;

export const questProgress = lazy(() => z.object({
  questId: z.string(),
  userId: z.string(),
  status: z.enum(QUEST_STATUSES),
  completedSteps: z.array(z.string()),
  pointsAwarded: z.int(),
  startedAt: isoTime(),
  completedAt: z.optional(isoTime()),
  version: z.int(),
}));
export type QuestProgress = z.output<ReturnType<typeof questProgress>>;

export const leaderboardEntry = lazy(() => z.object({ userId: z.string(), displayName: z.string(), points: z.int() }));
export type LeaderboardEntry = z.output<ReturnType<typeof leaderboardEntry>>;

const appRef = { appId: id() };
const questRef = { questId: id() };

/** Every Discovery operation: its input (what callers send) and output (what they get back). */
export const discoveryContract = defineContract({
  searchListings: () => ({
    input: z.strictObject({
      ...pageInput,
      /** Words matched as case-insensitive prefixes of the words of name, tagline and tags (all must match). */
      q: z.optional(z.string().check(z.maxLength(100))),
      category: z.optional(label()),
      tag: z.optional(label()),
      sort: z._default(z.enum(SORTS), 'newest'),
    }),
    output: page(listing()),
  }),
  getListing: () => ({ input: z.strictObject(appRef), output: listing() }),
  publishListing: () => ({
    input: z.strictObject({
      ...appRef,
      name: text(1, 100),
      tagline: z._default(text(0, 160), ''),
      description: z._default(text(0, 4000), ''),
      category: label(),
      tags: z._default(z.array(label()).check(z.maxLength(MAX_TAGS)), []),
      logoUrl: z.optional(webUrl()),
    }),
    output: listing(),
  }),
  unpublishListing: () => ({ input: z.strictObject(appRef), output: z.object({ appId: z.string(), unpublished: z.literal(true) }) }),
  rateListing: () => ({ input: z.strictObject({ ...appRef, stars: z.int().check(z.minimum(1), z.maximum(5)) }), output: listing() }),

  /** The tenant's quests, each with the caller's own progress when they started it. */
  listQuests: () => ({ input: z.strictObject({ ...pageInput, active: z.optional(z.boolean()) }), output: page(z.object({ ...quest().shape, myProgress: z.optional(questProgress()) })) }),
  createQuest: () => ({
    input: z.strictObject({
      title: text(1, 120),
      description: z._default(text(0, 2000), ''),
      steps: z.array(z.strictObject({ stepId: z.optional(id()), title: text(1, 200) })).check(z.minLength(1), z.maxLength(20)),
      rewardPoints: z.int().check(z.minimum(0), z.maximum(1_000_000)),
      active: z._default(z.boolean(), true),
    }),
    output: quest(),
  }),
  startQuest: () => ({ input: z.strictObject(questRef), output: questProgress() }),
  completeQuestStep: () => ({ input: z.strictObject({ ...questRef, stepId: id() }), output: questProgress() }),
  getQuestProgress: () => ({ input: z.strictObject(questRef), output: questProgress() }),
  leaderboard: () => ({ input: z.strictObject(pageInput), output: page(leaderboardEntry()) }),
});

export type DiscoveryContract = typeof discoveryContract;
