// Social's rules: who may post, edit and delete; idempotent likes and follows; exact counters; the feed.
// Counted changes are single atomic writes in the store; one that loses to a concurrent transaction
// changed nothing and is simply tried again (a bounded number of times), so parallel likes, comments
// and follows all succeed and every count stays exact.
import type { Comment, Post, PostRecord, SocialContract } from '#connectors/contracts/social';
import { PlatformError, conflict, invalid, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { FEED_CURSOR_PREFIX, decodeCursor, encodeCursor, newId } from './keys.ts';
import type { SocialStore } from './store.ts';

/** How many users one user may follow: the following feed reads one partition prefix per followed user per page. */
export const MAX_FOLLOWING = 100;
/** Tries of a write that keeps losing to concurrent transactions before the caller gets a CONFLICT. */
export const MAX_ATTEMPTS = 12;
export const CHANGED_CONCURRENTLY = 'Too many concurrent changes to this item; try again';

export interface SocialDeps {
  store: SocialStore;
  now?: () => Date;
  /** Waits between tries of a write that raced (tests may shorten it). */
  pause?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const POST_ID = /^[A-Za-z0-9_-]{1,64}$/;

const forbidden = (message: string) => new PlatformError('FORBIDDEN', message);
const fieldError = (field: string, message: string) => invalid(`${field}: ${message}`, { issues: [{ field, message }] });

export function createSocialOperations({ store, now = () => new Date(), pause = sleep }: SocialDeps): OperationsOf<SocialContract> {
  /** Runs a write until it did not race (read, decide, write again): bounded, with jittered backoff. */
  async function settled<T>(attempt: () => Promise<T>): Promise<Exclude<T, 'raced'>> {
    for (let tries = 1; ; tries++) {
      const result = await attempt();
      if (result !== 'raced') return result as Exclude<T, 'raced'>;
      if (tries >= MAX_ATTEMPTS) throw conflict(CHANGED_CONCURRENTLY);
      await pause(Math.random() * Math.min(200, 5 * 2 ** tries));
    }
  }

  async function loadPost(ctx: CallContext, postId: string): Promise<PostRecord> {
    const post = await store.getPost(ctx.tenantId, postId);
    if (!post) throw notFound('Post');
    return post;
  }

  /** The author always may; anyone else only with `moderate:social` (which the runtime, not the client, vouches for). */
  function assertMayDelete(ctx: CallContext, item: { authorId: string }, moderator: boolean | undefined, what: string): void {
    if (item.authorId !== ctx.userId && moderator !== true) throw forbidden(`Only its author or a moderator may delete this ${what}`);
  }

  /**
   * Posts as the caller sees them: with `likedByMe` (one read of the caller's like per post shown, in
   * parallel: a page is at most 100 posts) and `followingAuthor` (the caller's follows, one query of at
   * most MAX_FOLLOWING items, unless the caller has them already or every post is their own).
   */
  async function seenBy(ctx: CallContext, posts: PostRecord[], followed?: readonly string[]): Promise<Post[]> {
    if (posts.length === 0) return [];
    const othersShown = posts.some((post) => post.authorId !== ctx.userId);
    const [liked, following] = await Promise.all([
      store.likedPostIds(ctx.tenantId, ctx.userId, posts.map((post) => post.postId)),
      followed ?? (othersShown ? store.listFollowing(ctx.tenantId, ctx.userId, MAX_FOLLOWING) : []),
    ]);
    const follows = new Set(following);
    return posts.map((post) => ({ ...post, likedByMe: liked.has(post.postId), followingAuthor: post.authorId !== ctx.userId && follows.has(post.authorId) }));
  }

  async function likeState(ctx: CallContext, postId: string, liked: boolean) {
    const post = await loadPost(ctx, postId);
    return { postId, liked, likeCount: post.likeCount };
  }

  /**
   * Fan-out on read: the caller's own posts and those of the users they follow (at most MAX_FOLLOWING),
   * merged newest first. Post ids are time-ordered and unique, so the last id shown is a position in
   * every author's list at once: the next page takes each author's posts older than it.
   */
  async function followingFeed(ctx: CallContext, limit: number, cursor: string | undefined) {
    const before = decodeCursor(cursor, FEED_CURSOR_PREFIX)?.slice(FEED_CURSOR_PREFIX.length);
    if (before !== undefined && !POST_ID.test(before)) throw fieldError('cursor', 'not a cursor of this list');
    const followed = await store.listFollowing(ctx.tenantId, ctx.userId, MAX_FOLLOWING);
    const authors = [ctx.userId, ...followed.filter((id) => id !== ctx.userId)];
    const heads = await Promise.all(authors.map((author) => store.listAuthorPostIds(ctx.tenantId, author, limit, before)));
    const newestFirst = [...new Set(heads.flatMap((head) => head.postIds))].sort().reverse();
    const shown = newestFirst.slice(0, limit);
    const more = newestFirst.length > limit || heads.some((head) => head.more);
    // A post deleted between the two reads is left out; the cursor still moves past it.
    const posts = (await Promise.all(shown.map((postId) => store.getPost(ctx.tenantId, postId)))).filter((post): post is PostRecord => post !== undefined);
    const items = await seenBy(ctx, posts, followed);
    const last = shown.at(-1);
    return { items, ...(more && last !== undefined && { nextCursor: encodeCursor(FEED_CURSOR_PREFIX + last) }) };
  }

  function assertNotSelf(ctx: CallContext, userId: string): void {
    if (userId === ctx.userId) throw fieldError('userId', 'you cannot follow or unfollow yourself');
  }

  return {
    async getFeed(ctx, { scope, limit, cursor }) {
      if (scope === 'following') return followingFeed(ctx, limit, cursor);
      const page = await store.listPosts(ctx.tenantId, { limit, cursor });
      return { ...page, items: await seenBy(ctx, page.items) };
    },

    async createPost(ctx, { body }) {
      const at = now();
      const post: PostRecord = {
        postId: newId('post', at),
        authorId: ctx.userId,
        authorName: ctx.displayName ?? ctx.userId,
        body,
        createdAt: at.toISOString(),
        likeCount: 0,
        commentCount: 0,
      };
      await store.createPost(ctx.tenantId, post);
      // Nobody has liked a new post yet, and nobody follows themselves.
      return { ...post, likedByMe: false, followingAuthor: false };
    },

    async editPost(ctx, { postId, body }) {
      const post = await loadPost(ctx, postId);
      if (post.authorId !== ctx.userId) throw forbidden('Only its author may edit a post');
      // Only body and editedAt are set, so likes and comments landing meanwhile keep their counts.
      const edited = await settled(() => store.editPost(ctx.tenantId, postId, { body, editedAt: now().toISOString() }));
      if (edited === 'missing') throw notFound('Post');
      const [seen] = await seenBy(ctx, [edited], []);
      return seen!;
    },

    async deletePost(ctx, { postId, moderator }) {
      const post = await loadPost(ctx, postId);
      assertMayDelete(ctx, post, moderator, 'post');
      if ((await settled(() => store.deletePost(ctx.tenantId, post))) === 'missing') throw notFound('Post');
      return { deleted: true as const, postId };
    },

    async likePost(ctx, { postId }) {
      if ((await settled(() => store.like(ctx.tenantId, postId, ctx.userId))) === 'missing') throw notFound('Post');
      return likeState(ctx, postId, true);
    },

    async unlikePost(ctx, { postId }) {
      if ((await settled(() => store.unlike(ctx.tenantId, postId, ctx.userId))) === 'missing') throw notFound('Post');
      return likeState(ctx, postId, false);
    },

    async addComment(ctx, { postId, body }) {
      const at = now();
      const comment: Comment = {
        commentId: newId('cmt', at),
        postId,
        authorId: ctx.userId,
        authorName: ctx.displayName ?? ctx.userId,
        body,
        createdAt: at.toISOString(),
      };
      if ((await settled(() => store.addComment(ctx.tenantId, comment))) === 'missing') throw notFound('Post');
      return comment;
    },

    async listComments(ctx, { postId, limit, cursor }) {
      await loadPost(ctx, postId);
      return store.listComments(ctx.tenantId, postId, { limit, cursor });
    },

    async deleteComment(ctx, { postId, commentId, moderator }) {
      await loadPost(ctx, postId);
      const comment = await store.getComment(ctx.tenantId, postId, commentId);
      if (!comment) throw notFound('Comment');
      assertMayDelete(ctx, comment, moderator, 'comment');
      if ((await settled(() => store.deleteComment(ctx.tenantId, comment))) === 'missing') throw notFound('Comment');
      return { deleted: true as const, commentId };
    },

    async follow(ctx, { userId }) {
      assertNotSelf(ctx, userId);
      const outcome = await settled(() => store.follow(ctx.tenantId, ctx.userId, userId, MAX_FOLLOWING));
      if (outcome === 'limit') throw conflict(`You follow ${MAX_FOLLOWING} users already; unfollow someone first`, { limit: MAX_FOLLOWING });
      return { userId, following: true };
    },

    async unfollow(ctx, { userId }) {
      assertNotSelf(ctx, userId);
      await settled(() => store.unfollow(ctx.tenantId, ctx.userId, userId));
      return { userId, following: false };
    },
  };
}
