// Social's key layout, one table: every item of a tenant lives under its partition `T#<tenantId>`.
// User ids are free text (a token's `sub`), so they are escaped in sort keys: a `#` in an id cannot
// make one user's prefix match another's keys.
export { decodeCursor, encodeCursor, newId, tenantKey, tenantPk } from '#functions/shared/keys';

const user = (userId: string) => encodeURIComponent(userId);

/** The tenant's posts: the `all` feed is this prefix in reverse key order (ids are time-ordered). */
export const POST_PREFIX = 'POST#';
export const postSk = (postId: string) => `${POST_PREFIX}${postId}`;
/** One index item per post under its author, written and removed with the post: the `following` feed reads these. */
export const authorPostPrefix = (authorId: string) => `AUTHOR#${user(authorId)}#`;
export const authorPostSk = (authorId: string, postId: string) => `${authorPostPrefix(authorId)}${postId}`;

/** One like per user per post: its existence is what makes a like idempotent. */
export const likeSk = (postId: string, userId: string) => `LIKE#${postId}#${user(userId)}`;
export const commentPrefix = (postId: string) => `COMMENT#${postId}#`;
export const commentSk = (postId: string, commentId: string) => `${commentPrefix(postId)}${commentId}`;

/** Whom a user follows (read whole for the following feed, so it is capped). */
export const followingPrefix = (userId: string) => `FOLLOWING#${user(userId)}#`;
export const followingSk = (userId: string, followedId: string) => `${followingPrefix(userId)}${user(followedId)}`;
/** How many users a user follows, changed in the same write as each follow item and checked against the cap. */
export const followCountSk = (userId: string) => `FOLLOWCOUNT#${user(userId)}`;

/** The following feed's cursor: the last post shown (a sort-key-like string, so it is decoded like any cursor). */
export const FEED_CURSOR_PREFIX = 'FEED#';
