// The Social wire contract: posts, the feed, likes, comments and follows of a tenant's users.
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput } from './schema.ts';

export const FEED_SCOPES = ['all', 'following'] as const;

const postBody = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(5000));
const commentBody = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));
/** Identity's user ids (a token's `sub`): 1..128 characters. */
const userId = () => z.string().check(z.minLength(1), z.maxLength(128));

const postFields = lazy(() => ({
  postId: z.string(),
  authorId: z.string(),
  /** The author's display name when posting (from Identity via the call context), so a feed needs no lookup per post. */
  authorName: z.string(),
  body: z.string(),
  createdAt: isoTime(),
  editedAt: z.optional(isoTime()),
  likeCount: z.int(),
  commentCount: z.int(),
}));

/** A post as the service stores it: the same for every reader. */
export const postRecord = lazy(() => z.object(postFields()));
export type PostRecord = z.output<ReturnType<typeof postRecord>>;

/**
 * A post as it is answered to a caller: the stored post and the caller's own state, so a page shows
 * its like and follow toggles as they are without a call per post.
 */
export const post = lazy(() => z.object({
  ...postFields(),
  /** Whether the caller likes this post. */
  likedByMe: z.boolean(),
  /** Whether the caller follows the post's author (always false on the caller's own posts). */
  followingAuthor: z.boolean(),
}));
export type Post = z.output<ReturnType<typeof post>>;

export const comment = lazy(() => z.object({
  commentId: z.string(),
  postId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  createdAt: isoTime(),
}));
export type Comment = z.output<ReturnType<typeof comment>>;

const postRef = { postId: id() };
/**
 * Whether the caller holds `moderate:social`, set by the execute runtime from the caller's stored
 * permissions (never by a client: the plugin's input schemas omit it).
 */
const moderator = { moderator: z.optional(z.boolean()) };

const likeState = lazy(() => z.object({ postId: z.string(), liked: z.boolean(), likeCount: z.int() }));
const followState = lazy(() => z.object({ userId: z.string(), following: z.boolean() }));

/** Every Social operation: its input (what callers send) and output (what they get back). */
export const socialContract = defineContract({
  getFeed: () => ({
    input: z.strictObject({ ...pageInput, scope: z._default(z.enum(FEED_SCOPES), 'all') }),
    output: page(post()),
  }),
  createPost: () => ({ input: z.strictObject({ body: postBody() }), output: post() }),
  editPost: () => ({ input: z.strictObject({ ...postRef, body: postBody() }), output: post() }),
  deletePost: () => ({ input: z.strictObject({ ...postRef, ...moderator }), output: z.object({ deleted: z.literal(true), postId: z.string() }) }),
  likePost: () => ({ input: z.strictObject(postRef), output: likeState() }),
  unlikePost: () => ({ input: z.strictObject(postRef), output: likeState() }),
  addComment: () => ({ input: z.strictObject({ ...postRef, body: commentBody() }), output: comment() }),
  listComments: () => ({ input: z.strictObject({ ...postRef, ...pageInput }), output: page(comment()) }),
  deleteComment: () => ({
    input: z.strictObject({ ...postRef, commentId: id(), ...moderator }),
    output: z.object({ deleted: z.literal(true), commentId: z.string() }),
  }),
  follow: () => ({ input: z.strictObject({ userId: userId() }), output: followState() }),
  unfollow: () => ({ input: z.strictObject({ userId: userId() }), output: followState() }),
});

export type SocialContract = typeof socialContract;
