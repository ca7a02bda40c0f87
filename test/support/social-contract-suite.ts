// The Social contract, written once and run over both tables (test/contract/social.test.ts).
// Each invariant is tested with parallel requests: on DynamoDB Local they really race.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';
import { MAX_FOLLOWING } from '#functions/services/social/operations';
import { callerOf, codeOf, errorOf, newTenant } from './contract-kit.ts';

type Social = ConnectorBundle['social'];

/** A user of `tenantId` with a display name, as the runtime passes it. */
const userOf = (tenantId: string, name: string): CallContext => ({ ...callerOf(tenantId, `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`), displayName: name });
const usersOf = (tenantId: string, count: number) => Array.from({ length: count }, (_, i) => userOf(tenantId, `User${i}`));

export function describeSocialContract(name: string, make: () => Promise<Social>): void {
  let social: Social;
  beforeAll(async () => {
    social = await make();
  });

  /** Every page of a feed, following cursors to the end. */
  async function wholeFeed(ctx: CallContext, scope: 'all' | 'following', limit: number) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await social.getFeed(ctx, { scope, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((p) => p.postId));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  describe(`Social connector contract: ${name}`, () => {
    it("creates a post with its author's display name, trimmed, with zero counters", async () => {
      const alice = userOf(newTenant(), 'Alice');
      const post = await social.createPost(alice, { body: '  Hello world  ' });
      expect(post).toMatchObject({ authorId: alice.userId, authorName: 'Alice', body: 'Hello world', likeCount: 0, commentCount: 0 });
      const feed = await social.getFeed(alice, {});
      expect(feed.items).toEqual([post]);
    });

    it('rejects bodies outside 1..5000 (posts) and 1..2000 (comments) naming the field', async () => {
      const ctx = userOf(newTenant(), 'Al');
      for (const body of ['   ', 'x'.repeat(5001)]) {
        const error = await errorOf(social.createPost(ctx, { body }));
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.message).toContain('body');
      }
      expect((await social.createPost(ctx, { body: 'x'.repeat(5000) })).body).toHaveLength(5000);
      const post = await social.createPost(ctx, { body: 'ok' });
      const error = await errorOf(social.addComment(ctx, { postId: post.postId, body: 'y'.repeat(2001) }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain('body');
      expect(await codeOf(social.addComment(ctx, { postId: post.postId, body: '' }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(social.getFeed(ctx, { scope: 'mine' as never }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(social.getFeed(ctx, { cursor: 'not-a-cursor' }))).toBe('VALIDATION_FAILED');
    });

    it('pages the feed newest first, every post exactly once, even while posts are added and deleted', async () => {
      const ctx = userOf(newTenant(), 'Pat');
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await social.createPost(ctx, { body: `post ${i}` })).postId);
      const first = await social.getFeed(ctx, { limit: 3 });
      expect(first.items.map((p) => p.postId)).toEqual([ids[6], ids[5], ids[4]]);
      // A new post lands before the cursor and is not shown again; a deleted one disappears.
      await social.createPost(ctx, { body: 'late' });
      await social.deletePost(ctx, { postId: ids[2]! });
      const rest: string[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await social.getFeed(ctx, { limit: 3, cursor });
        rest.push(...page.items.map((p) => p.postId));
        cursor = page.nextCursor;
      }
      expect(rest).toEqual([ids[3], ids[1], ids[0]]);
    });

    it('lets only the author edit, keeping the counters', async () => {
      const tenant = newTenant();
      const [author, other] = [userOf(tenant, 'Ann'), userOf(tenant, 'Bo')];
      const post = await social.createPost(author, { body: 'first' });
      await social.likePost(other, { postId: post.postId });
      await social.addComment(other, { postId: post.postId, body: 'nice' });
      expect(await codeOf(social.editPost(other, { postId: post.postId, body: 'hijacked' }))).toBe('FORBIDDEN');
      const edited = await social.editPost(author, { postId: post.postId, body: ' second ' });
      expect(edited).toMatchObject({ postId: post.postId, body: 'second', likeCount: 1, commentCount: 1 });
      expect(edited.editedAt).toBeDefined();
      expect(await codeOf(social.editPost(author, { postId: 'post_missing', body: 'x' }))).toBe('NOT_FOUND');
    });

    it('keeps the counters of a post edited while likes and comments land', async () => {
      const tenant = newTenant();
      const author = userOf(tenant, 'Ann');
      const fans = usersOf(tenant, 10);
      const { postId } = await social.createPost(author, { body: 'v0' });
      await Promise.all([
        ...fans.map((ctx) => social.likePost(ctx, { postId })),
        ...fans.map((ctx) => social.addComment(ctx, { postId, body: 'hi' })),
        ...[1, 2, 3].map((v) => social.editPost(author, { postId, body: `v${v}` })),
      ]);
      expect((await social.getFeed(author, {})).items[0]).toMatchObject({ likeCount: 10, commentCount: 10, body: expect.stringMatching(/^v[123]$/) });
    });

    it("deletes a post by its author or a moderator, never by someone else's request alone", async () => {
      const tenant = newTenant();
      const [author, other] = [userOf(tenant, 'Ann'), userOf(tenant, 'Bo')];
      const a = await social.createPost(author, { body: 'a' });
      const b = await social.createPost(author, { body: 'b' });
      expect(await codeOf(social.deletePost(other, { postId: a.postId }))).toBe('FORBIDDEN');
      expect(await social.deletePost(other, { postId: a.postId, moderator: true })).toEqual({ deleted: true, postId: a.postId });
      await social.deletePost(author, { postId: b.postId });
      expect((await social.getFeed(author, {})).items).toEqual([]);
      expect((await social.getFeed(author, { scope: 'following' })).items).toEqual([]);
      expect(await codeOf(social.deletePost(author, { postId: b.postId }))).toBe('NOT_FOUND');
      expect(await codeOf(social.likePost(author, { postId: b.postId }))).toBe('NOT_FOUND');
      expect(await codeOf(social.addComment(author, { postId: b.postId, body: 'late' }))).toBe('NOT_FOUND');
    });

    it('counts likes exactly under 20 parallel likes, repeated likes and unlikes (idempotent per user)', async () => {
      const tenant = newTenant();
      const author = userOf(tenant, 'Ann');
      const likers = usersOf(tenant, 20);
      const { postId } = await social.createPost(author, { body: 'like me' });
      // Every user likes twice, all at once: one like each counts.
      await Promise.all([...likers, ...likers].map((ctx) => social.likePost(ctx, { postId })));
      expect((await social.getFeed(author, {})).items[0]!.likeCount).toBe(20);
      // Half of them unlike twice, at once; a user who never liked unlikes too.
      const leaving = likers.slice(0, 10);
      await Promise.all([...leaving, ...leaving, author].map((ctx) => social.unlikePost(ctx, { postId })));
      const state = await social.likePost(likers[19]!, { postId });
      expect(state).toEqual({ postId, liked: true, likeCount: 10 });
      expect(await social.unlikePost(author, { postId })).toEqual({ postId, liked: false, likeCount: 10 });
    });

    it('counts comments exactly under 20 parallel comments, and a comment deleted in parallel counts down once', async () => {
      const tenant = newTenant();
      const author = userOf(tenant, 'Ann');
      const commenters = usersOf(tenant, 20);
      const { postId } = await social.createPost(author, { body: 'comment me' });
      const comments = await Promise.all(commenters.map((ctx, i) => social.addComment(ctx, { postId, body: `comment ${i}` })));
      expect((await social.getFeed(author, {})).items[0]!.commentCount).toBe(20);
      expect(comments[3]).toMatchObject({ authorName: 'User3', authorId: commenters[3]!.userId, postId });

      const target = comments[0]!;
      const results = await Promise.all(Array.from({ length: 5 }, () => codeOf(social.deleteComment(commenters[0]!, { postId, commentId: target.commentId }))));
      expect(results.filter((code) => code === 'OK')).toHaveLength(1);
      expect(results.filter((code) => code === 'NOT_FOUND')).toHaveLength(4);
      // Others' comments: a moderator may delete, a plain user may not; 10 in parallel.
      expect(await codeOf(social.deleteComment(author, { postId, commentId: comments[1]!.commentId }))).toBe('FORBIDDEN');
      await Promise.all(comments.slice(1, 11).map((c) => social.deleteComment(author, { postId, commentId: c.commentId, moderator: true })));
      expect((await social.getFeed(author, {})).items[0]!.commentCount).toBe(9);

      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await social.listComments(author, { postId, limit: 4, cursor });
        listed.push(...page.items.map((c) => c.commentId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(listed).toEqual(comments.slice(11).map((c) => c.commentId).sort());
    });

    it('follows and unfollows idempotently, never yourself, and builds the following feed from them', async () => {
      const tenant = newTenant();
      const [me, bo, cy, di] = [userOf(tenant, 'Me'), userOf(tenant, 'Bo'), userOf(tenant, 'Cy'), userOf(tenant, 'Di')];
      expect(await codeOf(social.follow(me, { userId: me.userId }))).toBe('VALIDATION_FAILED');
      const follows = await Promise.all([bo, bo, cy].map((u) => social.follow(me, { userId: u.userId })));
      expect(follows.map((f) => f.following)).toEqual([true, true, true]);
      // Interleaved posts of followed users, someone not followed, and mine.
      const expected: string[] = [];
      for (let i = 0; i < 4; i++) {
        for (const ctx of [bo, cy, di, me]) {
          const post = await social.createPost(ctx, { body: `${ctx.displayName} ${i}` });
          if (ctx !== di) expected.unshift(post.postId);
        }
      }
      for (const limit of [1, 3, 5, 100]) expect(await wholeFeed(me, 'following', limit)).toEqual(expected);
      expect(await wholeFeed(me, 'all', 5)).toHaveLength(16);

      await Promise.all([social.unfollow(me, { userId: cy.userId }), social.unfollow(me, { userId: cy.userId }), social.unfollow(me, { userId: di.userId })]);
      const withoutCy = await wholeFeed(me, 'following', 4);
      expect(withoutCy).toHaveLength(8);
      const feed = await social.getFeed(me, { scope: 'following', limit: 1 });
      expect(feed.items[0]!.authorName).toBe('Me');
      expect(await codeOf(social.getFeed(me, { scope: 'all', cursor: feed.nextCursor }))).toBe('VALIDATION_FAILED');
    });

    it(`caps follows at ${MAX_FOLLOWING}, exactly, under parallel follows`, async () => {
      const tenant = newTenant();
      const me = userOf(tenant, 'Me');
      const first = Array.from({ length: MAX_FOLLOWING - 5 }, (_, i) => `user-${i}`);
      for (let i = 0; i < first.length; i += 10) await Promise.all(first.slice(i, i + 10).map((userId) => social.follow(me, { userId })));
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(social.follow(me, { userId: `late-${i}` }))));
      expect(racing.filter((code) => code === 'OK')).toHaveLength(5);
      expect(racing.filter((code) => code === 'CONFLICT')).toHaveLength(5);
      // Unfollowing makes room again; a repeated follow of a followed user still answers following.
      await social.unfollow(me, { userId: 'user-0' });
      expect((await social.follow(me, { userId: 'user-1' })).following).toBe(true);
      expect((await social.follow(me, { userId: 'another' })).following).toBe(true);
      expect(await codeOf(social.follow(me, { userId: 'one-more' }))).toBe('CONFLICT');
    });

    it("answers each post with the caller's own state: likedByMe and followingAuthor, in both feeds and on every page", async () => {
      const tenant = newTenant();
      const [me, bo, cy] = [userOf(tenant, 'Me'), userOf(tenant, 'Bo'), userOf(tenant, 'Cy')];
      const mine = await social.createPost(me, { body: 'mine' });
      expect(mine).toMatchObject({ likedByMe: false, followingAuthor: false });
      const bos = await Promise.all([1, 2, 3].map((i) => social.createPost(bo, { body: `bo ${i}` })));
      const cys = await social.createPost(cy, { body: 'cy' });
      await Promise.all([social.likePost(me, { postId: bos[0]!.postId }), social.likePost(me, { postId: cys.postId }), social.likePost(me, { postId: mine.postId })]);
      await social.likePost(bo, { postId: bos[1]!.postId }); // someone else's like is not mine
      await social.follow(me, { userId: bo.userId });

      const stateOf = (posts: Array<{ postId: string; likedByMe: boolean; followingAuthor: boolean }>) =>
        Object.fromEntries(posts.map((p) => [p.postId, [p.likedByMe, p.followingAuthor]]));
      const expected = {
        [mine.postId]: [true, false],
        [bos[0]!.postId]: [true, true],
        [bos[1]!.postId]: [false, true],
        [bos[2]!.postId]: [false, true],
        [cys.postId]: [true, false],
      };
      // Pages of 2: the state is right on every page, not only the first.
      for (const scope of ['all', 'following'] as const) {
        const seen: Array<{ postId: string; likedByMe: boolean; followingAuthor: boolean }> = [];
        let cursor: string | undefined;
        do {
          const page = await social.getFeed(me, { scope, limit: 2, cursor });
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        const want = scope === 'all' ? expected : Object.fromEntries(Object.entries(expected).filter(([postId]) => postId !== cys.postId));
        expect(stateOf(seen), scope).toEqual(want);
      }
      // The same posts, seen by their author: their own state, not mine.
      const bosView = stateOf((await social.getFeed(bo, { limit: 100 })).items);
      expect(bosView[bos[1]!.postId]).toEqual([true, false]);
      expect(bosView[mine.postId]).toEqual([false, false]);

      // Unliking and unfollowing show at once; an edit answers the author's like.
      await Promise.all([social.unlikePost(me, { postId: bos[0]!.postId }), social.unfollow(me, { userId: bo.userId })]);
      const after = stateOf((await social.getFeed(me, { limit: 100 })).items);
      expect(after[bos[0]!.postId]).toEqual([false, false]);
      expect(after[cys.postId]).toEqual([true, false]);
      expect(await social.editPost(me, { postId: mine.postId, body: 'mine, edited' })).toMatchObject({ likedByMe: true, followingAuthor: false, likeCount: 1 });
    });

    it("answers NOT_FOUND for another tenant's posts and comments and changes nothing", async () => {
      const owner = userOf(newTenant(), 'Owner');
      const stranger = userOf(newTenant(), 'Stranger');
      const post = await social.createPost(owner, { body: 'mine' });
      const comment = await social.addComment(owner, { postId: post.postId, body: 'mine too' });
      const { postId } = post;
      expect(await codeOf(social.editPost(stranger, { postId, body: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(social.deletePost(stranger, { postId, moderator: true }))).toBe('NOT_FOUND');
      expect(await codeOf(social.likePost(stranger, { postId }))).toBe('NOT_FOUND');
      expect(await codeOf(social.unlikePost(stranger, { postId }))).toBe('NOT_FOUND');
      expect(await codeOf(social.addComment(stranger, { postId, body: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(social.listComments(stranger, { postId }))).toBe('NOT_FOUND');
      expect(await codeOf(social.deleteComment(stranger, { postId, commentId: comment.commentId, moderator: true }))).toBe('NOT_FOUND');
      expect((await social.getFeed(stranger, {})).items).toEqual([]);
      expect((await social.getFeed(owner, {})).items).toEqual([{ ...post, commentCount: 1 }]);
    });
  });
}
