// Social's store, over the table port (DynamoDB on AWS and locally, memory in mock mode and tests).
// Every method is tenant-first. Each change that moves a counter writes the counted item (a like,
// a comment, a follow) and the counter in one atomic write, under conditions that make a repeat
// change nothing: so the counts stay exact whatever runs in parallel. Writes that can lose to a
// concurrent transaction report `raced` instead of throwing, for the operation to retry.
import type { Comment, PostRecord } from '#connectors/contracts/social';
import { conflict } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { put, remove, update, when, writeOrThrow, type Table, type Write } from '#functions/shared/table';
import {
  POST_PREFIX,
  authorPostPrefix,
  authorPostSk,
  commentPrefix,
  commentSk,
  encodeCursor,
  followCountSk,
  followingPrefix,
  followingSk,
  likeSk,
  postSk,
  tenantKey,
  tenantPk,
} from './keys.ts';

/**
 * What a counted change did: `changed` (written), `unchanged` (it was already so: a repeated like,
 * follow or unfollow), `missing` (the post or comment is gone), `limit` (a cap was reached),
 * `raced` (a concurrent transaction got in the way; nothing was written, try again).
 */
export type Outcome = 'changed' | 'unchanged' | 'missing' | 'limit' | 'raced';

interface FollowItem {
  userId: string;
}

export interface SocialStore {
  getPost(tenantId: string, postId: string): Promise<PostRecord | undefined>;
  /** The tenant's posts, newest first. */
  listPosts(tenantId: string, page: PageRequest): Promise<Page<PostRecord>>;
  /** Ids of an author's posts older than `before` (all when absent), newest first, and whether more follow. */
  listAuthorPostIds(tenantId: string, authorId: string, limit: number, before?: string): Promise<{ postIds: string[]; more: boolean }>;
  /** The post and its author index item, together. */
  createPost(tenantId: string, post: PostRecord): Promise<void>;
  /** Sets body and editedAt of a post that still exists; its counters are left as they are. */
  editPost(tenantId: string, postId: string, changes: Pick<PostRecord, 'body' | 'editedAt'>): Promise<PostRecord | 'missing' | 'raced'>;
  /** Removes the post and its author index item, together; `missing` if it was already gone. */
  deletePost(tenantId: string, post: PostRecord): Promise<Outcome>;

  /** The user's like and the post's `likeCount` change together; a second like of the same user changes nothing. */
  like(tenantId: string, postId: string, userId: string): Promise<Outcome>;
  unlike(tenantId: string, postId: string, userId: string): Promise<Outcome>;
  /** Which of `postIds` (one page of posts) the user likes: one read of each `LIKE#` item, in parallel. */
  likedPostIds(tenantId: string, userId: string, postIds: readonly string[]): Promise<Set<string>>;

  getComment(tenantId: string, postId: string, commentId: string): Promise<Comment | undefined>;
  /** Comments of a post, oldest first. */
  listComments(tenantId: string, postId: string, page: PageRequest): Promise<Page<Comment>>;
  /** The comment and the post's `commentCount` change together; `missing` if the post is gone. */
  addComment(tenantId: string, comment: Comment): Promise<Outcome>;
  /** Only the write that removes the comment decrements the count; `missing` if it was already gone. */
  deleteComment(tenantId: string, comment: Comment): Promise<Outcome>;

  /** Whom the user follows: at most `max` ids (the follow cap keeps the list that short). */
  listFollowing(tenantId: string, userId: string, max: number): Promise<string[]>;
  /** The follow item and the user's follow count change together; `limit` when the count is at `max`. */
  follow(tenantId: string, userId: string, followedId: string, max: number): Promise<Outcome>;
  unfollow(tenantId: string, userId: string, followedId: string): Promise<Outcome>;
}

/** Decides a failed write: a race first (its condition results may be stale), else which condition failed. */
async function outcomeOf(table: Table, writes: Write[], onFailure: (failed: boolean[]) => Outcome): Promise<Outcome> {
  const result = await table.write(writes);
  if (result.ok) return 'changed';
  return result.raced ? 'raced' : onFailure(result.failed);
}

const postExists = when.exists();

export function createSocialStore(table: Table): SocialStore {
  const postKey = (tenantId: string, postId: string) => tenantKey(tenantId, postSk(postId));
  const addToPost = (tenantId: string, postId: string, counter: 'likeCount' | 'commentCount', delta: 1 | -1) =>
    update(postKey(tenantId, postId), { add: { [counter]: delta } }, postExists);

  return {
    getPost: (tenantId, postId) => table.get<PostRecord>(postKey(tenantId, postId)),
    listPosts: (tenantId, page) => table.query<PostRecord>(tenantPk(tenantId), POST_PREFIX, page, { newestFirst: true }),

    async listAuthorPostIds(tenantId, authorId, limit, before) {
      const prefix = authorPostPrefix(authorId);
      const cursor = before === undefined ? undefined : encodeCursor(authorPostSk(authorId, before));
      const page = await table.query<{ postId: string }>(tenantPk(tenantId), prefix, { limit, cursor }, { newestFirst: true });
      return { postIds: page.items.map((item) => item.postId), more: page.nextCursor !== undefined };
    },

    async createPost(tenantId, post) {
      await writeOrThrow(
        table,
        [put(postKey(tenantId, post.postId), post, when.notExists()), put(tenantKey(tenantId, authorPostSk(post.authorId, post.postId)), { postId: post.postId }, when.notExists())],
        () => conflict('A post with this id exists already'),
      );
    },

    async editPost(tenantId, postId, changes) {
      const result = await table.write([update(postKey(tenantId, postId), { set: changes }, postExists)]);
      if (result.ok) return result.item as unknown as PostRecord;
      return result.raced ? 'raced' : 'missing';
    },

    deletePost: (tenantId, post) =>
      outcomeOf(table, [remove(postKey(tenantId, post.postId), postExists), remove(tenantKey(tenantId, authorPostSk(post.authorId, post.postId)))], () => 'missing'),

    like: (tenantId, postId, userId) =>
      outcomeOf(
        table,
        [put(tenantKey(tenantId, likeSk(postId, userId)), { postId, userId }, when.notExists()), addToPost(tenantId, postId, 'likeCount', 1)],
        (failed) => (failed[1] ? 'missing' : 'unchanged'),
      ),
    unlike: (tenantId, postId, userId) =>
      outcomeOf(
        table,
        [remove(tenantKey(tenantId, likeSk(postId, userId)), when.exists()), addToPost(tenantId, postId, 'likeCount', -1)],
        (failed) => (failed[1] ? 'missing' : 'unchanged'),
      ),

    async likedPostIds(tenantId, userId, postIds) {
      const unique = [...new Set(postIds)];
      const likes = await Promise.all(unique.map((postId) => table.get<{ postId: string }>(tenantKey(tenantId, likeSk(postId, userId)))));
      return new Set(unique.filter((_, i) => likes[i] !== undefined));
    },

    getComment: (tenantId, postId, commentId) => table.get<Comment>(tenantKey(tenantId, commentSk(postId, commentId))),
    listComments: (tenantId, postId, page) => table.query<Comment>(tenantPk(tenantId), commentPrefix(postId), page),
    addComment: (tenantId, comment) =>
      outcomeOf(
        table,
        [put(tenantKey(tenantId, commentSk(comment.postId, comment.commentId)), comment, when.notExists()), addToPost(tenantId, comment.postId, 'commentCount', 1)],
        () => 'missing',
      ),
    deleteComment: (tenantId, comment) =>
      outcomeOf(
        table,
        [remove(tenantKey(tenantId, commentSk(comment.postId, comment.commentId)), when.exists()), addToPost(tenantId, comment.postId, 'commentCount', -1)],
        () => 'missing',
      ),

    async listFollowing(tenantId, userId, max) {
      const page = await table.query<FollowItem>(tenantPk(tenantId), followingPrefix(userId), { limit: max });
      return page.items.map((item) => item.userId);
    },
    follow: (tenantId, userId, followedId, max) =>
      outcomeOf(
        table,
        [
          put(tenantKey(tenantId, followingSk(userId, followedId)), { userId: followedId }, when.notExists()),
          update(tenantKey(tenantId, followCountSk(userId)), { add: { count: 1 } }, when.or(when.notExists(), when.below('count', max))),
        ],
        (failed) => (failed[0] ? 'unchanged' : 'limit'),
      ),
    unfollow: (tenantId, userId, followedId) =>
      outcomeOf(
        table,
        [remove(tenantKey(tenantId, followingSk(userId, followedId)), when.exists()), update(tenantKey(tenantId, followCountSk(userId)), { add: { count: -1 } })],
        () => 'unchanged',
      ),
  };
}
