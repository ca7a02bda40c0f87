// Discovery's rules: listings (publish, unpublish, rate, search) and quests (progress, points).
// Writes that may lose to a concurrent one and are naturally retryable (a rating, a step completion,
// a re-publish, moving a listing in the rating order) read again and retry a bounded number of times.
import { randomBytes } from 'node:crypto';
import type { DiscoveryContract, Listing, QuestProgress } from '#connectors/contracts/discovery';
import { PlatformError, conflict, invalid, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { decodeCursor, encodeCursor, newId, NEWEST_PREFIX, RATING_PREFIX } from './keys.ts';
import { INDEX_PARTS, isCurrent, matches, partitionFor, partitionsOf, queryWords, ratingBucket, type IndexItem, type IndexPart, type SearchQuery } from './search-index.ts';
import type { DiscoveryStore, ListingRecord, QuestRecord } from './store.ts';

export interface DiscoveryDeps {
  store: DiscoveryStore;
  now?: () => Date;
}

/** How often a write that lost a race is tried again before the caller gets a CONFLICT. */
export const MAX_ATTEMPTS = 12;
/** Index items one search page reads at most, in reads of SEARCH_READ: a page costs bounded reads whatever the listings. */
export const SEARCH_READ = 100;
export const SEARCH_READS_PER_PAGE = 3;

const newRev = () => randomBytes(6).toString('hex');
/** A short random pause before another try, so racing writers spread out. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 5)));

/** Runs `attempt` until it answers something other than undefined; CONFLICT after MAX_ATTEMPTS. */
async function retrying<T>(what: string, attempt: (n: number) => Promise<T | undefined>): Promise<T> {
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const result = await attempt(n);
    if (result !== undefined) return result;
    await backoff(n);
  }
  throw conflict(`${what} changed concurrently too often; try again`);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The public listing: never the index state, the rating sum or whether it is published. */
export function toListing(record: ListingRecord): Listing {
  const { appId, tenantId, name, tagline, description, category, tags, logoUrl, publishedAt, ratingSum, ratingCount } = record;
  return {
    appId,
    tenantId,
    name,
    tagline,
    description,
    category,
    tags,
    ...(logoUrl !== undefined && { logoUrl }),
    publishedAt,
    ratingAvg: ratingCount === 0 ? 0 : round2(ratingSum / ratingCount),
    ratingCount,
  };
}

const toQuest = ({ createdBy: _by, ...quest }: QuestRecord) => quest;

export function createDiscoveryOperations({ store, now = () => new Date() }: DiscoveryDeps): OperationsOf<DiscoveryContract> {
  async function publishedListing(appId: string): Promise<ListingRecord> {
    const record = await store.getListing(appId);
    if (!record?.published) throw notFound('Listing');
    return record;
  }

  /**
   * Moves the listing to the rating-order position of its current average, if it is not there yet.
   * Every rater calls this after its rating, so the last one leaves the order matching the final average.
   */
  async function placeInRatingOrder(appId: string): Promise<void> {
    await retrying('The listing', async () => {
      const record = await store.getListing(appId);
      const bucket = record && ratingBucket(record.ratingSum, record.ratingCount);
      if (!record?.published || bucket === record.ratingBucket) return true;
      return (await store.saveListing(record, { ...record, ratingBucket: bucket!, ratingRev: newRev() }, ['rating'])) || undefined;
    }).catch((error: unknown) => {
      // The rating itself is saved; a listing left in its old place moves with the next rating or publish.
      if (!(error instanceof PlatformError && error.code === 'CONFLICT')) throw error;
    });
  }

  async function loadQuest(ctx: CallContext, questId: string): Promise<QuestRecord> {
    const quest = await store.getQuest(ctx.tenantId, questId);
    if (!quest) throw notFound('Quest');
    return quest;
  }

  function assertActive(quest: QuestRecord): void {
    if (!quest.active) throw conflict('This quest is not active');
  }

  return {
    async searchListings(_ctx, { q, category, tag, sort, limit, cursor }) {
      const query: SearchQuery = { words: queryWords(q), category, tag, sort };
      const part: IndexPart = sort === 'rating' ? 'rating' : 'newest';
      const prefix = part === 'rating' ? RATING_PREFIX : NEWEST_PREFIX;
      const pk = partitionFor(query);
      decodeCursor(cursor, prefix);
      // Read the partition in its order, keep what the rest of the query matches, and stop at a full page
      // or after SEARCH_READS_PER_PAGE reads; the cursor is the last index item looked at either way.
      const found: IndexItem[] = [];
      let after = cursor;
      let lastSeen: string | undefined;
      let more = true;
      for (let read = 0; read < SEARCH_READS_PER_PAGE && more && found.length < limit; read++) {
        const page = await store.queryIndex(pk, prefix, { limit: SEARCH_READ, cursor: after });
        let consumed = 0;
        for (const item of page.items) {
          consumed++;
          lastSeen = item.key;
          if (matches(item, query) && found.push(item) === limit) break;
        }
        more = consumed < page.items.length || page.nextCursor !== undefined;
        after = page.nextCursor;
      }
      // Index items are found by revision: one left by a publish in flight or one that lost its race is skipped.
      const records = await Promise.all(found.map((item) => store.getListing(item.appId)));
      const items = records.flatMap((record, i) => (record?.published && isCurrent(part, found[i]!, record) ? [toListing(record)] : []));
      return { items, ...(more && lastSeen !== undefined && { nextCursor: encodeCursor(lastSeen) }) };
    },

    async getListing(_ctx, { appId }) {
      return toListing(await publishedListing(appId));
    },

    async publishListing(ctx, { appId, name, tagline, description, category, tags, logoUrl }) {
      const record = await retrying('The listing', async () => {
        const previous = await store.getListing(appId);
        // The plugin checked the app is the caller's; a listing of another tenant's app is not found either.
        if (previous && previous.tenantId !== ctx.tenantId) throw notFound('App');
        const next: ListingRecord = {
          appId,
          tenantId: ctx.tenantId,
          name,
          tagline,
          description,
          category,
          tags: [...new Set(tags)],
          ...(logoUrl !== undefined && { logoUrl }),
          // Publishing again updates the listing in place: its date and ratings stay.
          publishedAt: previous?.published ? previous.publishedAt : now().toISOString(),
          published: true,
          ratingSum: previous?.ratingSum ?? 0,
          ratingCount: previous?.ratingCount ?? 0,
          parts: [],
          newestRev: newRev(),
          ratingRev: newRev(),
          ratingBucket: ratingBucket(previous?.ratingSum ?? 0, previous?.ratingCount ?? 0),
        };
        next.parts = partitionsOf(next);
        return (await store.saveListing(previous, next, INDEX_PARTS)) ? next : undefined;
      });
      return toListing(record);
    },

    async unpublishListing(ctx, { appId }) {
      await retrying('The listing', async () => {
        const previous = await store.getListing(appId);
        if (!previous?.published || previous.tenantId !== ctx.tenantId) throw notFound('Listing');
        // The listing item stays (unpublished), with its ratings, so publishing again brings them back.
        const next: ListingRecord = { ...previous, published: false, parts: [], newestRev: newRev(), ratingRev: newRev() };
        return (await store.saveListing(previous, next, INDEX_PARTS)) || undefined;
      });
      return { appId, unpublished: true as const };
    },

    async rateListing(ctx, { appId, stars }) {
      await retrying('The rating', async () => {
        await publishedListing(appId);
        const previous = await store.getRating(appId, ctx.tenantId, ctx.userId);
        if (previous?.stars === stars) return true;
        const outcome = await store.rate(appId, { tenantId: ctx.tenantId, userId: ctx.userId, stars, ratedAt: now().toISOString() }, previous?.stars);
        if (outcome === 'unpublished') throw notFound('Listing');
        return outcome === 'ok' || undefined;
      });
      await placeInRatingOrder(appId);
      return toListing(await publishedListing(appId));
    },

    async listQuests(ctx, { limit, cursor, active }) {
      const page = await store.listQuests(ctx.tenantId, { limit, cursor }, active);
      // The caller's progress rides along (one read per quest of the page), so a page of quests is one call.
      const items = await Promise.all(
        page.items.map(async (record) => {
          const myProgress = await store.getProgress(ctx.tenantId, record.questId, ctx.userId);
          return { ...toQuest(record), ...(myProgress && { myProgress }) };
        }),
      );
      return { items, nextCursor: page.nextCursor };
    },

    async createQuest(ctx, { title, description, steps, rewardPoints, active }) {
      const stepIds = steps.map((step, i) => step.stepId ?? `step-${i + 1}`);
      const repeated = stepIds.findIndex((stepId, i) => stepIds.indexOf(stepId) !== i);
      if (repeated >= 0) {
        const message = `stepId "${stepIds[repeated]}" appears twice`;
        throw invalid(`Invalid input: steps.${repeated}.stepId: ${message}`, { issues: [{ field: `steps.${repeated}.stepId`, message }], issueCount: 1 });
      }
      const at = now();
      const quest: QuestRecord = {
        questId: newId('quest', at),
        title,
        description,
        steps: steps.map((step, i) => ({ stepId: stepIds[i]!, title: step.title })),
        rewardPoints,
        active,
        createdAt: at.toISOString(),
        createdBy: ctx.userId,
      };
      await store.createQuest(ctx.tenantId, quest);
      return toQuest(quest);
    },

    async startQuest(ctx, { questId }) {
      const quest = await loadQuest(ctx, questId);
      const existing = await store.getProgress(ctx.tenantId, questId, ctx.userId);
      if (existing) return existing;
      assertActive(quest);
      const progress: QuestProgress = {
        questId,
        userId: ctx.userId,
        status: 'in_progress',
        completedSteps: [],
        pointsAwarded: 0,
        startedAt: now().toISOString(),
        version: 1,
      };
      // Starting twice, even at once, keeps the first start.
      if (await store.startProgress(ctx.tenantId, progress)) return progress;
      return (await store.getProgress(ctx.tenantId, questId, ctx.userId))!;
    },

    async completeQuestStep(ctx, { questId, stepId }) {
      const quest = await loadQuest(ctx, questId);
      if (!quest.steps.some((step) => step.stepId === stepId)) throw notFound('Step');
      const done = await retrying('Your progress', async () => {
        const progress = await store.getProgress(ctx.tenantId, questId, ctx.userId);
        if (!progress) throw conflict('Start the quest first');
        // Completing a step twice changes nothing.
        if (progress.completedSteps.includes(stepId)) return progress;
        assertActive(quest);
        const completedSteps = [...progress.completedSteps, stepId];
        const finished = quest.steps.every((step) => completedSteps.includes(step.stepId));
        const next: QuestProgress = {
          ...progress,
          completedSteps,
          version: progress.version + 1,
          ...(finished && { status: 'completed', completedAt: now().toISOString(), pointsAwarded: quest.rewardPoints }),
        };
        // The points come in the same write as the progress that completes the quest, conditioned on the
        // version read: of parallel last steps only one write completes it, so the points come once.
        let award;
        if (finished && quest.rewardPoints > 0) {
          const previous = await store.getPoints(ctx.tenantId, ctx.userId);
          const displayName = ctx.displayName ?? previous?.displayName ?? ctx.userId;
          award = { previous, next: { userId: ctx.userId, displayName, points: (previous?.points ?? 0) + quest.rewardPoints } };
        }
        return (await store.saveProgress(ctx.tenantId, next, progress.version, award)) ? next : undefined;
      });
      return done;
    },

    async getQuestProgress(ctx, { questId }) {
      await loadQuest(ctx, questId);
      const progress = await store.getProgress(ctx.tenantId, questId, ctx.userId);
      if (!progress) throw notFound('Quest progress');
      return progress;
    },

    async leaderboard(ctx, page) {
      const { items, nextCursor } = await store.leaderboard(ctx.tenantId, page);
      return { items: items.map(({ userId, displayName, points }) => ({ userId, displayName, points })), nextCursor };
    },
  };
}
