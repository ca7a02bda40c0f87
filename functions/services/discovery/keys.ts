// Discovery's key layout, one table. Listings are platform-wide (search is the one cross-tenant read),
// so they and their search index live outside any tenant partition, under `DISC#...` keys that hold
// only public listing fields plus the owner's tenant id. Quests, progress and points are the tenant's
// and live under its partition `T#<tenantId>`.
import type { Key } from '#functions/shared/table';
export { decodeCursor, encodeCursor, newId, tenantKey, tenantPk } from '#functions/shared/keys';

/** The listing and its users' ratings share a partition: one rating item per user beside the aggregate. */
const listingPk = (appId: string) => `DISC#L#${appId}`;
export const listingKey = (appId: string): Key => ({ pk: listingPk(appId), sk: 'LISTING' });
/** Users are their tenant's: the rater is named by tenant and user (a tenant id never holds `#`). */
export const ratingKey = (appId: string, tenantId: string, userId: string): Key => ({ pk: listingPk(appId), sk: `RATING#${tenantId}#${userId}` });

/** Search index partitions: every listing, one per category, one per tag, one per word-prefix token. */
export const ALL_LISTINGS_PK = 'DISC#A';
export const categoryPk = (category: string) => `DISC#C#${category}`;
export const tagPk = (tag: string) => `DISC#G#${tag}`;
export const tokenPk = (token: string) => `DISC#T#${token}`;
/** Sort-key prefixes of the two orders every index partition holds. */
export const NEWEST_PREFIX = 'N#';
export const RATING_PREFIX = 'R#';

export const QUEST_PREFIX = 'QUEST#';
export const questSk = (questId: string) => `${QUEST_PREFIX}${questId}`;
export const progressSk = (questId: string, userId: string) => `PROGRESS#${questId}#${userId}`;
export const pointsSk = (userId: string) => `POINTS#${userId}`;
export const LEADERBOARD_PREFIX = 'LB#';
/** Highest points first in ascending key order: the points inverted and zero-padded, ties by user id. */
export const MAX_POINTS = 9_999_999_999_999;
export const leaderboardSk = (points: number, userId: string) =>
  `${LEADERBOARD_PREFIX}${(MAX_POINTS - points).toString().padStart(13, '0')}#${userId}`;
