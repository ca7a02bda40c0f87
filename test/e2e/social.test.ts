// moz.platform.social over HTTP against `npm start` (managed mode: the real services on DynamoDB Local),
// with real tokens. One `it` per promise of issue 8's Social bullets (and its "for all three" and "also").
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { okData, usePlatform } from '../support/platform-process.ts';

const SOCIAL = 'moz.platform.social';

describe('moz.platform.social over HTTP (managed)', () => {
  const platform = usePlatform();

  const freshTenant = () => `social-${randomUUID().slice(0, 8)}`;
  const as = async (tenantId: string, sub: string, roles: string[] = []) => ({ token: await platform.token(tenantId, roles, sub) });
  const call = (who: { token: string }, body: object) => platform.execute(who, SOCIAL, body);
  const ok = (who: { token: string }, body: object) => okData(call(who, body));
  /** A tenant with its owner (its first user) and members who have signed in once. */
  async function tenantWith(...members: string[]) {
    const tenant = freshTenant();
    const owner = await as(tenant, 'owner', ['owner']);
    await ok(owner, { action: 'get_feed' });
    const users = await Promise.all(members.map(async (sub) => as(tenant, sub, ['member'])));
    for (const user of users) await ok(user, { action: 'get_feed' });
    return { tenant, owner, users };
  }

  it('posts (1..5000), edits by the author only, deletes by the author or a moderate:social holder', async () => {
    const { tenant, users } = await tenantWith('ann', 'bob');
    const [ann, bob] = users as [{ token: string }, { token: string }];
    const moderator = await as(tenant, 'mod', ['moderator']);

    const post = await ok(ann, { action: 'create_post', body: ' Hello ' });
    expect(post).toMatchObject({ authorId: 'ann', authorName: 'ann', body: 'Hello', likeCount: 0, commentCount: 0 });
    expect((await call(ann, { action: 'create_post', body: 'x'.repeat(5001) })).status).toBe(400);
    expect((await call(ann, { action: 'create_post', body: 'x'.repeat(5000) })).status).toBe(200);

    expect((await call(bob, { action: 'edit_post', postId: post.postId, body: 'mine now' })).status).toBe(403);
    expect(await ok(ann, { action: 'edit_post', postId: post.postId, body: 'Hello again' })).toMatchObject({ body: 'Hello again' });

    expect((await call(bob, { action: 'delete_post', postId: post.postId })).status).toBe(403);
    // The moderator flag comes from the caller's stored permissions, never from the body.
    const smuggled = await call(bob, { action: 'delete_post', postId: post.postId, moderator: true });
    expect(smuggled.status).toBe(400);
    // A moderator may read and moderate but not post.
    expect((await call(moderator, { action: 'create_post', body: 'hi' })).status).toBe(403);
    expect(await ok(moderator, { action: 'delete_post', postId: post.postId })).toEqual({ deleted: true, postId: post.postId });

    const own = await ok(bob, { action: 'create_post', body: 'short-lived' });
    await ok(bob, { action: 'delete_post', postId: own.postId });
    const feed = await ok(ann, { action: 'get_feed' });
    expect(feed.items.map((p: { postId: string }) => p.postId)).not.toContain(own.postId);
    expect(feed.items.map((p: { postId: string }) => p.postId)).not.toContain(post.postId);
  });

  it('comments (1..2000), lists and deletes comments (author or moderator)', async () => {
    const { tenant, users } = await tenantWith('ann', 'bob');
    const [ann, bob] = users as [{ token: string }, { token: string }];
    const moderator = await as(tenant, 'mod', ['moderator']);
    const { postId } = await ok(ann, { action: 'create_post', body: 'discuss' });

    const tooLong = await call(bob, { action: 'add_comment', postId, body: 'y'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.json.error.details.issues)).toContain('body');
    const first = await ok(bob, { action: 'add_comment', postId, body: 'first!' });
    const second = await ok(ann, { action: 'add_comment', postId, body: 'thanks' });
    expect(first).toMatchObject({ postId, authorId: 'bob', authorName: 'bob', body: 'first!' });
    const listed = await ok(moderator, { action: 'list_comments', postId });
    expect(listed.items.map((c: { commentId: string }) => c.commentId)).toEqual([first.commentId, second.commentId]);

    expect((await call(ann, { action: 'delete_comment', postId, commentId: first.commentId })).status).toBe(403);
    await ok(bob, { action: 'delete_comment', postId, commentId: first.commentId });
    expect((await call(bob, { action: 'delete_comment', postId, commentId: first.commentId })).status).toBe(404);
    await ok(moderator, { action: 'delete_comment', postId, commentId: second.commentId });
    expect((await ok(ann, { action: 'list_comments', postId })).items).toEqual([]);
    expect((await ok(ann, { action: 'get_feed' })).items[0].commentCount).toBe(0);
  });

  it('likes and unlikes idempotently per user; follows and unfollows users of the tenant', async () => {
    const { users } = await tenantWith('ann', 'bob');
    const [ann, bob] = users as [{ token: string }, { token: string }];
    const { postId } = await ok(ann, { action: 'create_post', body: 'like me' });
    expect(await ok(bob, { action: 'like_post', postId })).toEqual({ postId, liked: true, likeCount: 1 });
    expect(await ok(bob, { action: 'like_post', postId })).toEqual({ postId, liked: true, likeCount: 1 });
    expect(await ok(bob, { action: 'unlike_post', postId })).toEqual({ postId, liked: false, likeCount: 0 });
    expect(await ok(bob, { action: 'unlike_post', postId })).toEqual({ postId, liked: false, likeCount: 0 });

    expect(await ok(bob, { action: 'follow', userId: 'ann' })).toEqual({ userId: 'ann', following: true });
    expect(await ok(bob, { action: 'follow', userId: 'ann' })).toEqual({ userId: 'ann', following: true });
    const self = await call(bob, { action: 'follow', userId: 'bob' });
    expect(self.status).toBe(400);
    expect(JSON.stringify(self.json.error)).toContain('userId');
    // Only users of the tenant: someone who never signed in here is unknown.
    expect((await call(bob, { action: 'follow', userId: 'nobody-here' })).status).toBe(404);
    expect((await ok(bob, { action: 'get_feed', scope: 'following' })).items.map((p: { postId: string }) => p.postId)).toEqual([postId]);
    expect(await ok(bob, { action: 'unfollow', userId: 'ann' })).toEqual({ userId: 'ann', following: false });
    expect(await ok(bob, { action: 'unfollow', userId: 'ann' })).toEqual({ userId: 'ann', following: false });
    expect((await ok(bob, { action: 'get_feed', scope: 'following' })).items).toEqual([]);
  });

  it('pages the feed newest first, every post exactly once, with scope all and following', async () => {
    const { users } = await tenantWith('ann', 'bob', 'cy');
    const [ann, bob, cy] = users as [{ token: string }, { token: string }, { token: string }];
    await ok(ann, { action: 'follow', userId: 'bob' });
    const all: string[] = [];
    const following: string[] = [];
    for (let i = 0; i < 4; i++) {
      for (const [who, followed] of [[ann, true], [bob, true], [cy, false]] as const) {
        const { postId } = await ok(who, { action: 'create_post', body: `post ${i}` });
        all.unshift(postId);
        if (followed) following.unshift(postId);
      }
    }
    async function pages(scope: string) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ok(ann, { action: 'get_feed', scope, limit: 5, ...(cursor && { cursor }) });
        ids.push(...page.items.map((p: { postId: string }) => p.postId));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    }
    expect(await pages('all')).toEqual(all);
    expect(await pages('following')).toEqual(following);
    expect((await call(ann, { action: 'get_feed', scope: 'everyone' })).status).toBe(400);
  });

  it('keeps likeCount and commentCount exact under parallel requests', async () => {
    const subs = Array.from({ length: 20 }, (_, i) => `fan-${i}`);
    const { users, owner } = await tenantWith(...subs);
    const { postId } = await ok(owner, { action: 'create_post', body: 'popular' });
    const results = await Promise.all(
      users.flatMap((user, i) => [call(user, { action: 'like_post', postId }), call(user, { action: 'like_post', postId }), call(user, { action: 'add_comment', postId, body: `c${i}` })]),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const [post] = (await ok(owner, { action: 'get_feed', limit: 1 })).items;
    expect(post).toMatchObject({ postId, likeCount: 20, commentCount: 20 });
    await Promise.all(users.slice(0, 10).flatMap((user) => [call(user, { action: 'unlike_post', postId }), call(user, { action: 'unlike_post', postId })]));
    expect((await ok(owner, { action: 'get_feed', limit: 1 })).items[0]).toMatchObject({ likeCount: 10, commentCount: 20 });
  });

  it("answers 404 for another tenant's posts and comments", async () => {
    const { users } = await tenantWith('ann');
    const other = await tenantWith('eve');
    const eve = other.users[0]!;
    const { postId } = await ok(users[0]!, { action: 'create_post', body: 'private to my tenant' });
    const { commentId } = await ok(users[0]!, { action: 'add_comment', postId, body: 'also private' });
    for (const body of [
      { action: 'edit_post', postId, body: 'x' },
      { action: 'delete_post', postId },
      { action: 'like_post', postId },
      { action: 'add_comment', postId, body: 'x' },
      { action: 'list_comments', postId },
      { action: 'delete_comment', postId, commentId },
    ]) {
      expect((await call(other.owner, body)).status, body.action).toBe(404);
    }
    expect((await call(eve, { action: 'follow', userId: 'ann' })).status).toBe(404);
    expect((await ok(eve, { action: 'get_feed' })).items).toEqual([]);
  });

  it("lists the plugin with the caller's allowed actions, and the demo tenant has seeded posts", async () => {
    const { tenant } = await tenantWith();
    const moderator = await as(tenant, 'mod', ['moderator']);
    const res = await fetch(`${platform.url}/api/plugins`, { headers: { authorization: `Bearer ${moderator.token}` } });
    const { data } = (await res.json()) as { data: { plugins: { name: string; actions: { name: string }[] | string[] }[] } };
    const social = data.plugins.find((p) => p.name === SOCIAL);
    const names = (social?.actions ?? []).map((a) => (typeof a === 'string' ? a : a.name)).sort();
    expect(names).toEqual(['delete_comment', 'delete_post', 'get_feed', 'list_comments']);

    const demo = await as('demo', 'demo-owner', ['owner']);
    const feed = await ok(demo, { action: 'get_feed' });
    expect(feed.items.length).toBeGreaterThanOrEqual(3);
    expect(feed.items[0].authorName).toBe('Demo Owner');
  });
});
