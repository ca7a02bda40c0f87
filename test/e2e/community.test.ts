// Community over HTTP against `npm start` (managed mode: the real services on DynamoDB Local), with real
// tokens from /dev/token. One `it` per promise of issue 8's Community bullets.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { okData, usePlatform } from '../support/platform-process.ts';

const COMMUNITY = 'moz.platform.community';

describe('community over HTTP (managed)', () => {
  const platform = usePlatform();

  const freshTenant = () => `community-${randomUUID().slice(0, 8)}`;
  /** A signed-in user: the first call makes Identity create it (the first of a tenant becomes its owner). */
  async function user(tenantId: string, sub: string, roles: string[] = ['member']) {
    const who = { token: await platform.token(tenantId, roles, sub), sub };
    await ok(call(who, { action: 'list_conversations' }));
    return who;
  }
  const call = (who: { token: string }, body: Record<string, unknown>) => platform.execute(who, COMMUNITY, body);
  const ok = okData;
  const statusOf = async (promise: Promise<{ status: number }>) => (await promise).status;

  it('keeps a direct conversation unique, also under parallel creates, and gives groups a title and members', async () => {
    const tenant = freshTenant();
    const ann = await user(tenant, 'ann', ['owner']);
    const bob = await user(tenant, 'bob');
    const cid = await user(tenant, 'cid');

    const plugins = await communityPluginOf(ann);
    expect(plugins.actions.map((a: { name: string }) => a.name)).toEqual([
      'list_conversations',
      'create_conversation',
      'send_message',
      'list_messages',
      'mark_read',
      'add_member',
      'remove_member',
    ]);

    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ok(i % 2 ? call(ann, { action: 'create_conversation', type: 'direct', userId: 'bob' }) : call(bob, { action: 'create_conversation', type: 'direct', userId: 'ann' })),
      ),
    );
    expect(new Set(created.map((c) => c.conversationId)).size).toBe(1);
    expect(created[0]).toMatchObject({ type: 'direct', unreadCount: 0 });
    expect(created[0].members.sort()).toEqual(['ann', 'bob']);
    const again = await ok(call(ann, { action: 'create_conversation', type: 'direct', userId: 'bob' }));
    expect(again.conversationId).toBe(created[0].conversationId);

    const team = await ok(call(ann, { action: 'create_conversation', type: 'group', title: 'Launch team', members: ['bob', 'cid'] }));
    expect(team).toMatchObject({ type: 'group', title: 'Launch team', members: ['ann', 'bob', 'cid'], createdBy: 'ann' });
    expect((await ok(call(cid, { action: 'list_conversations' }))).items.map((c: { conversationId: string }) => c.conversationId)).toEqual([team.conversationId]);

    // Bad input is a 400 naming the field; unknown users are 404.
    const noTitle = await call(ann, { action: 'create_conversation', type: 'group', members: ['bob'] });
    expect(noTitle.status).toBe(400);
    expect(noTitle.json.error.message).toContain('title');
    expect(await statusOf(call(ann, { action: 'create_conversation', type: 'direct', userId: 'nobody' }))).toBe(404);
    expect(await statusOf(call(ann, { action: 'create_conversation', type: 'group', title: 'x', members: ['bob', 'ghost'] }))).toBe(404);
  });

  it('lets only members read or post; the creator or a moderate:community holder changes members; a removed member can no longer read', async () => {
    const tenant = freshTenant();
    const owner = await user(tenant, 'olga', ['owner']);
    const ann = await user(tenant, 'ann');
    const bob = await user(tenant, 'bob');
    const eve = await user(tenant, 'eve');
    const admin = await user(tenant, 'ada', ['admin']);
    const stranger = await user(freshTenant(), 'ann', ['owner']);

    const team = await ok(call(ann, { action: 'create_conversation', type: 'group', title: 'Team', members: ['bob'] }));
    const conversationId = team.conversationId;
    await ok(call(bob, { action: 'send_message', conversationId, body: 'hi team' }));
    for (const who of [eve, owner, stranger]) {
      expect(await statusOf(call(who, { action: 'list_messages', conversationId }))).toBe(404);
      expect(await statusOf(call(who, { action: 'send_message', conversationId, body: 'let me in' }))).toBe(404);
      expect((await ok(call(who, { action: 'list_conversations' }))).items).toEqual([]);
    }

    // A member who did not create the group: 403; the client cannot claim to be a moderator.
    const refused = await call(bob, { action: 'add_member', conversationId, userId: 'eve' });
    expect(refused.status).toBe(403);
    expect(await statusOf(call(bob, { action: 'add_member', conversationId, userId: 'eve', moderator: true }))).toBe(400);
    // The creator adds; an admin (moderate:community) removes without being a member.
    expect((await ok(call(ann, { action: 'add_member', conversationId, userId: 'eve' }))).members).toEqual(['ann', 'bob', 'eve']);
    expect((await ok(call(admin, { action: 'remove_member', conversationId, userId: 'bob' }))).members).toEqual(['ann', 'eve']);
    expect(await statusOf(call(bob, { action: 'list_messages', conversationId }))).toBe(404);
    expect(await statusOf(call(bob, { action: 'send_message', conversationId, body: 'still here?' }))).toBe(404);
    expect((await ok(call(bob, { action: 'list_conversations' }))).items).toEqual([]);
    expect((await ok(call(eve, { action: 'list_messages', conversationId }))).items.map((m: { body: string }) => m.body)).toEqual(['hi team']);

    const direct = await ok(call(ann, { action: 'create_conversation', type: 'direct', userId: 'eve' }));
    expect(await statusOf(call(ann, { action: 'add_member', conversationId: direct.conversationId, userId: 'bob' }))).toBe(409);
  });

  it('orders messages in time with cursor pages, and shows unread counts that drop to 0 after mark_read', async () => {
    const tenant = freshTenant();
    const ann = await user(tenant, 'ann', ['owner']);
    const bob = await user(tenant, 'bob');
    const cid = await user(tenant, 'cid');
    const direct = await ok(call(ann, { action: 'create_conversation', type: 'direct', userId: 'bob' }));
    const team = await ok(call(ann, { action: 'create_conversation', type: 'group', title: 'Team', members: ['bob', 'cid'] }));

    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await ok(call(i % 2 ? bob : ann, { action: 'send_message', conversationId: team.conversationId, body: ` m${i} ` })));
    expect(sent[0]).toMatchObject({ body: 'm0', senderId: 'ann', senderName: 'ann' });
    // Parallel messages all land, and all count.
    await Promise.all(Array.from({ length: 5 }, (_, i) => ok(call(bob, { action: 'send_message', conversationId: team.conversationId, body: `p${i}` }))));

    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await ok(call(cid, { action: 'list_messages', conversationId: team.conversationId, limit: 4, ...(cursor && { cursor }), order: 'oldest' }));
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const ids = pages.flat().map((m: { messageId: string }) => m.messageId);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(new Set(ids).size).toBe(10);
    expect(ids.slice(0, 5)).toEqual(sent.map((m) => m.messageId));
    expect([...ids].sort()).toEqual(ids);
    const newest = await ok(call(cid, { action: 'list_messages', conversationId: team.conversationId, limit: 10 }));
    expect(newest.items.map((m: { messageId: string }) => m.messageId)).toEqual([...ids].reverse());

    const inbox = async (who: { token: string }) =>
      (await ok(call(who, { action: 'list_conversations' }))).items.map((c: { conversationId: string; unreadCount: number }) => [c.conversationId, c.unreadCount]);
    expect(await inbox(cid)).toEqual([[team.conversationId, 10]]);
    // Ann's own messages never count, and sending read everything before: Bob's five after her m4.
    expect(await inbox(ann)).toEqual([
      [team.conversationId, 5],
      [direct.conversationId, 0],
    ]);
    const marked = await ok(call(cid, { action: 'mark_read', conversationId: team.conversationId }));
    expect(marked).toMatchObject({ unreadCount: 0, lastMessage: { senderId: 'bob' } });
    expect(await inbox(cid)).toEqual([[team.conversationId, 0]]);
    await ok(call(bob, { action: 'send_message', conversationId: direct.conversationId, body: 'psst' }));
    expect(await inbox(ann)).toEqual([
      [direct.conversationId, 1],
      [team.conversationId, 5],
    ]);
  });

  /** This plugin's entry of GET /api/plugins: the actions the caller may use. */
  async function communityPluginOf(who: { token: string }) {
    const res = await fetch(`${platform.url}/api/plugins`, { headers: { authorization: `Bearer ${who.token}` } });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { data: { plugins: { name: string; actions: { name: string }[] }[] } };
    return json.data.plugins.find((plugin) => plugin.name === COMMUNITY)!;
  }
});
