// Discovery's store, over the table port (DynamoDB on AWS and locally, memory in mock mode and tests).
// Operations decide; the store writes under the conditions given and reports a lost race as `false` or
// 'lost' so the operation can read again and retry. Invariants that span items are single writes: a
// user's rating with the listing's aggregate, a quest's completion with the user's points and their
// leaderboard entry. The search index is written around a compare-and-swap of the listing (saveListing).
import type { Listing, Quest, QuestProgress } from '#connectors/contracts/discovery';
import { conflict } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { put, remove, update, when, type Key, type Table, type Write } from '#functions/shared/table';
import {
  LEADERBOARD_PREFIX,
  QUEST_PREFIX,
  leaderboardSk,
  listingKey,
  pointsSk,
  progressSk,
  questSk,
  ratingKey,
  tenantKey,
  tenantPk,
} from './keys.ts';
import { indexItems, type IndexItem, type IndexPart, type IndexState, type IndexedContent } from './search-index.ts';

/** The stored listing: its public fields, the rating sum, whether it is published and where its index is. */
export interface ListingRecord extends Omit<Listing, 'ratingAvg'>, IndexedContent, IndexState {
  published: boolean;
  ratingSum: number;
}

export interface RatingRecord {
  tenantId: string;
  userId: string;
  stars: number;
  ratedAt: string;
}

export interface QuestRecord extends Quest {
  createdBy: string;
}

export interface PointsRecord {
  userId: string;
  displayName: string;
  points: number;
}

/** A quest completion's award: the user's points as read (none yet: undefined) and as they become. */
export interface Award {
  previous?: PointsRecord;
  next: PointsRecord;
}

export interface DiscoveryStore {
  getListing(appId: string): Promise<ListingRecord | undefined>;
  /**
   * Replaces the listing's content and index state if no one changed its index since `previous` was read
   * (or creates it if `previous` is undefined), rewriting the index items of the `changed` orders.
   * False when the swap lost: its new index items are removed again and nothing changed.
   */
  saveListing(previous: ListingRecord | undefined, next: ListingRecord, changed: readonly IndexPart[]): Promise<boolean>;
  /** One order's index items in one partition, in that order's sort. */
  queryIndex(pk: string, prefix: string, page: PageRequest): Promise<Page<IndexItem>>;

  getRating(appId: string, tenantId: string, userId: string): Promise<RatingRecord | undefined>;
  /**
   * Writes the user's rating (conditioned on the one read, `previousStars`) and moves the listing's sum
   * and count by the difference, atomically. 'unpublished' if the listing is gone, 'lost' on a race.
   */
  rate(appId: string, rating: RatingRecord, previousStars: number | undefined): Promise<'ok' | 'unpublished' | 'lost'>;

  getQuest(tenantId: string, questId: string): Promise<QuestRecord | undefined>;
  listQuests(tenantId: string, page: PageRequest, active?: boolean): Promise<Page<QuestRecord>>;
  createQuest(tenantId: string, quest: QuestRecord): Promise<void>;
  getProgress(tenantId: string, questId: string, userId: string): Promise<QuestProgress | undefined>;
  /** False if the user had started the quest already. */
  startProgress(tenantId: string, progress: QuestProgress): Promise<boolean>;
  /**
   * Replaces the progress if it is still at `expectedVersion`, with the award (points and leaderboard
   * entry) in the same write; false if anything changed meanwhile.
   */
  saveProgress(tenantId: string, progress: QuestProgress, expectedVersion: number, award?: Award): Promise<boolean>;
  getPoints(tenantId: string, userId: string): Promise<PointsRecord | undefined>;
  leaderboard(tenantId: string, page: PageRequest): Promise<Page<PointsRecord>>;
}

/** DynamoDB's limit of items in one transaction. */
const MAX_WRITE = 100;
const CHUNK_ATTEMPTS = 5;

export function createDiscoveryStore(table: Table): DiscoveryStore {
  /** Writes `writes` in all-or-nothing chunks of MAX_WRITE, each retried when it loses to a concurrent transaction. */
  async function writeChunks(writes: Write[]): Promise<void> {
    for (let start = 0; start < writes.length; start += MAX_WRITE) {
      const chunk = writes.slice(start, start + MAX_WRITE);
      for (let attempt = 1; ; attempt++) {
        const outcome = await table.write(chunk);
        if (outcome.ok) break;
        if (attempt >= CHUNK_ATTEMPTS) throw conflict('The listing index is busy; try again');
      }
    }
  }
  const itemsOf = (record: ListingRecord, parts: readonly IndexPart[]) => (record.published ? parts.flatMap((part) => indexItems(part, record, record)) : []);
  const deleteAll = (keys: Key[]) => writeChunks(keys.map((key) => remove(key)));

  /** The listing's fields a save sets (a logo left out is removed); the rating sum and count only ever move with a rating. */
  const contentOf = ({ ratingSum: _sum, ratingCount: _count, ...rest }: ListingRecord) => ({ logoUrl: undefined, ...rest });

  return {
    getListing: (appId) => table.get<ListingRecord>(listingKey(appId)),

    async saveListing(previous, next, changed) {
      // Index items carry their revision in the sort key, so new ones never overwrite current ones: they are
      // written first, become current with the swap, and the old ones are deleted after it.
      const added = itemsOf(next, changed);
      await writeChunks(added.map(({ key, item }) => put(key, item)));
      const swap = previous
        ? update(
            listingKey(next.appId),
            { set: contentOf(next) },
            when.and(when.eq('newestRev', previous.newestRev), when.eq('ratingRev', previous.ratingRev), when.eq('tenantId', next.tenantId)),
          )
        : put(listingKey(next.appId), next, when.notExists());
      const outcome = await table.write([swap]);
      if (!outcome.ok) {
        await deleteAll(added.map(({ key }) => key));
        return false;
      }
      if (previous) await deleteAll(itemsOf(previous, changed).map(({ key }) => key));
      return true;
    },

    queryIndex: (pk, prefix, page) => table.query<IndexItem>(pk, prefix, page, { newestFirst: true }),

    getRating: (appId, tenantId, userId) => table.get<RatingRecord>(ratingKey(appId, tenantId, userId)),

    async rate(appId, rating, previousStars) {
      const outcome = await table.write([
        put(ratingKey(appId, rating.tenantId, rating.userId), rating, previousStars === undefined ? when.notExists() : when.eq('stars', previousStars)),
        update(
          listingKey(appId),
          { add: { ratingSum: rating.stars - (previousStars ?? 0), ratingCount: previousStars === undefined ? 1 : 0 } },
          when.eq('published', true),
        ),
      ]);
      if (outcome.ok) return 'ok';
      return outcome.failed[1] && !outcome.raced ? 'unpublished' : 'lost';
    },

    getQuest: (tenantId, questId) => table.get<QuestRecord>(tenantKey(tenantId, questSk(questId))),
    listQuests: (tenantId, page, active) =>
      table.query<QuestRecord>(tenantPk(tenantId), QUEST_PREFIX, page, { newestFirst: true, ...(active !== undefined && { filter: when.eq('active', active) }) }),
    async createQuest(tenantId, quest) {
      const outcome = await table.write([put(tenantKey(tenantId, questSk(quest.questId)), quest, when.notExists())]);
      if (!outcome.ok) throw conflict('A quest with this id exists already');
    },

    getProgress: (tenantId, questId, userId) => table.get<QuestProgress>(tenantKey(tenantId, progressSk(questId, userId))),
    async startProgress(tenantId, progress) {
      return (await table.write([put(tenantKey(tenantId, progressSk(progress.questId, progress.userId)), progress, when.notExists())])).ok;
    },
    async saveProgress(tenantId, progress, expectedVersion, award) {
      const writes = [put(tenantKey(tenantId, progressSk(progress.questId, progress.userId)), progress, when.eq('version', expectedVersion))];
      if (award) {
        const { previous, next } = award;
        writes.push(put(tenantKey(tenantId, pointsSk(next.userId)), next, previous ? when.eq('points', previous.points) : when.notExists()));
        // The leaderboard entry moves with the points: the points item's condition guards both.
        if (previous) writes.push(remove(tenantKey(tenantId, leaderboardSk(previous.points, previous.userId))));
        writes.push(put(tenantKey(tenantId, leaderboardSk(next.points, next.userId)), next));
      }
      return (await table.write(writes)).ok;
    },
    getPoints: (tenantId, userId) => table.get<PointsRecord>(tenantKey(tenantId, pointsSk(userId))),
    leaderboard: (tenantId, page) => table.query<PointsRecord>(tenantPk(tenantId), LEADERBOARD_PREFIX, page),
  };
}
