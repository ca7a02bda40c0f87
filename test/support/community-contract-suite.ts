// The Community contract, written once and run over both tables (test/contract/community.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_MEMBERS } from '#connectors/contracts/community';
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';
import { callerOf, codeOf, errorOf, newTenant } from './contract-kit.ts';

export type MakeCommunityConnector = () => Promise<ConnectorBundle['community']>;

export function describeCommunityContract(name: string, make: MakeCommunityConnector): void {
  let community: ConnectorBundle['community'];
  beforeAll(async () => {
    community = await make();
  });

  /** Users of one fresh tenant, each with a display name. */
  function people(...names: string[]): CallContext[] {
    const tenantId = newTenant();
    return names.map((who) => ({ ...callerOf(tenantId, who), displayName: `${who[0]!.toUpperCase()}${who.slice(1)} Example` }));
  }
  const group = (creator: CallContext, members: CallContext[], title = 'Team') =>
    community.createConversation(creator, { type: 'group', title, members: members.map((m) => m.userId) });
  const unreadOf = async (ctx: CallContext, conversationId: string) =>
    (await community.listConversations(ctx, { limit: 100 })).items.find((c) => c.conversationId === conversationId)?.unreadCount;

  describe(`Community connector contract: ${name}`, () => {
    it('creates a direct conversation once per pair, from either side', async () => {
      const [ann, bob] = people('ann', 'bob');
      const first = await community.createConversation(ann!, { type: 'direct', userId: bob!.userId });
      expect(first).toMatchObject({ type: 'direct', members: [ann!.userId, bob!.userId], createdBy: ann!.userId, unreadCount: 0 });
      expect(first.title).toBeUndefined();
      expect((await community.createConversation(ann!, { type: 'direct', userId: bob!.userId })).conversationId).toBe(first.conversationId);
      expect((await community.createConversation(bob!, { type: 'direct', userId: ann!.userId })).conversationId).toBe(first.conversationId);
    });

    it('gives every one of many parallel direct creates, from both sides, the same conversation', async () => {
      const [ann, bob] = people('ann', 'bob');
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0 ? community.createConversation(ann!, { type: 'direct', userId: bob!.userId }) : community.createConversation(bob!, { type: 'direct', userId: ann!.userId }),
        ),
      );
      expect(new Set(created.map((c) => c.conversationId)).size).toBe(1);
      for (const who of [ann!, bob!]) expect((await community.listConversations(who, {})).items.map((c) => c.conversationId)).toEqual([created[0]!.conversationId]);
    });

    it('creates a group with a title and its members, the caller included, up to the member cap', async () => {
      const [ann, bob, cid] = people('ann', 'bob', 'cid');
      const team = await community.createConversation(ann!, { type: 'group', title: '  Team  ', members: [bob!.userId, cid!.userId, bob!.userId, ann!.userId] });
      expect(team).toMatchObject({ type: 'group', title: 'Team', members: [ann!.userId, bob!.userId, cid!.userId], createdBy: ann!.userId, unreadCount: 0 });
      // Two groups of the same people are two conversations.
      expect((await group(ann!, [bob!, cid!])).conversationId).not.toBe(team.conversationId);

      const others = Array.from({ length: MAX_MEMBERS - 1 }, (_, i) => `m-${i}`);
      expect((await community.createConversation(ann!, { type: 'group', title: 'Full', members: others })).members).toHaveLength(MAX_MEMBERS);
      const tooMany = await errorOf(community.createConversation(ann!, { type: 'group', title: 'Over', members: [...others, 'one-more'] }));
      expect(tooMany.code).toBe('VALIDATION_FAILED');
      expect(tooMany.message).toContain('members');
    });

    it('rejects bad input naming the field', async () => {
      const [ann, bob] = people('ann', 'bob');
      const cases: [Promise<unknown>, string][] = [
        [community.createConversation(ann!, { type: 'direct' }), 'userId'],
        [community.createConversation(ann!, { type: 'direct', userId: ann!.userId }), 'userId'],
        [community.createConversation(ann!, { type: 'direct', userId: bob!.userId, title: 'x' }), 'title'],
        [community.createConversation(ann!, { type: 'group', members: [bob!.userId] }), 'title'],
        [community.createConversation(ann!, { type: 'group', title: '   ', members: [] }), 'title'],
        [community.createConversation(ann!, { type: 'channel' as 'group', title: 'x' }), 'type'],
        [community.sendMessage(ann!, { conversationId: 'cnv_x', body: '   ' }), 'body'],
        [community.sendMessage(ann!, { conversationId: 'cnv_x', body: 'x'.repeat(4001) }), 'body'],
        [community.listMessages(ann!, { conversationId: 'cnv_x', order: 'sideways' as 'newest' }), 'order'],
        [community.listMessages(ann!, { conversationId: 'cnv_x', limit: 0 }), 'limit'],
      ];
      for (const [call, field] of cases) {
        const error = await errorOf(call);
        expect(error.code, field).toBe('VALIDATION_FAILED');
        expect(error.message, field).toContain(field);
      }
      expect((await community.listConversations(ann!, {})).items).toEqual([]);
    });

    it('sends messages (trimmed, with the sender name) and lists them newest or oldest first, every message once across pages', async () => {
      const [ann, bob] = people('ann', 'bob');
      const { conversationId } = await community.createConversation(ann!, { type: 'direct', userId: bob!.userId });
      const first = await community.sendMessage(ann!, { conversationId, body: '  hello  ' });
      expect(first).toMatchObject({ conversationId, senderId: ann!.userId, senderName: 'Ann Example', body: 'hello' });
      expect((await community.sendMessage(ann!, { conversationId, body: 'x'.repeat(4000) })).body).toHaveLength(4000);
      const sent = [first.messageId];
      sent.push((await community.listMessages(ann!, { conversationId, limit: 1 })).items[0]!.messageId);
      for (let i = 0; i < 5; i++) sent.push((await community.sendMessage(i % 2 ? ann! : bob!, { conversationId, body: `m${i}` })).messageId);

      const read = async (order: 'newest' | 'oldest') => {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await community.listMessages(bob!, { conversationId, limit: 3, cursor, order });
          expect(page.items.length).toBeLessThanOrEqual(3);
          ids.push(...page.items.map((m) => m.messageId));
          cursor = page.nextCursor;
        } while (cursor);
        return ids;
      };
      expect(await read('oldest')).toEqual(sent);
      expect(await read('newest')).toEqual([...sent].reverse());
      const [conversation] = (await community.listConversations(ann!, {})).items;
      expect(conversation).toMatchObject({ lastMessageAt: expect.any(String), lastMessage: { messageId: sent.at(-1), preview: 'm4' } });
      // A cursor of another list is refused.
      const { conversationId: other } = await group(ann!, [bob!]);
      const cursor = (await community.listMessages(ann!, { conversationId, limit: 1 })).nextCursor;
      expect(await codeOf(community.listMessages(ann!, { conversationId: other, cursor }))).toBe('VALIDATION_FAILED');
    });

    it("keeps users whose ids share a prefix apart (a '#' in an id is not a key separator)", async () => {
      const [ann] = people('ann');
      const tricky = { ...callerOf(ann!.tenantId, `${ann!.userId}#x`), displayName: 'Tricky' };
      await community.createConversation(tricky, { type: 'group', title: 'Mine', members: [] });
      expect((await community.listConversations(ann!, {})).items).toEqual([]);
      const direct = await community.createConversation(ann!, { type: 'direct', userId: tricky.userId });
      expect((await community.listConversations(tricky, {})).items.map((c) => c.conversationId)).toContain(direct.conversationId);
      expect((await community.listConversations(ann!, {})).items.map((c) => c.conversationId)).toEqual([direct.conversationId]);
    });

    it('lets only members read or post: strangers and other tenants get NOT_FOUND', async () => {
      const [ann, bob, eve] = people('ann', 'bob', 'eve');
      const outsider = { ...callerOf(newTenant(), ann!.userId), displayName: 'Same id, other tenant' };
      const { conversationId } = await group(ann!, [bob!]);
      await community.sendMessage(bob!, { conversationId, body: 'members only' });
      for (const who of [eve!, outsider]) {
        expect(await codeOf(community.listMessages(who, { conversationId }))).toBe('NOT_FOUND');
        expect(await codeOf(community.sendMessage(who, { conversationId, body: 'let me in' }))).toBe('NOT_FOUND');
        expect(await codeOf(community.markRead(who, { conversationId }))).toBe('NOT_FOUND');
        expect(await codeOf(community.addMember(who, { conversationId, userId: who.userId }))).toBe('NOT_FOUND');
        expect((await community.listConversations(who, {})).items).toEqual([]);
      }
      expect((await community.listMessages(ann!, { conversationId })).items.map((m) => m.body)).toEqual(['members only']);
    });

    it('counts unread messages per member and drops them to 0 on mark_read', async () => {
      const [ann, bob, cid] = people('ann', 'bob', 'cid');
      const { conversationId } = await group(ann!, [bob!, cid!]);
      await community.sendMessage(ann!, { conversationId, body: 'one' });
      await community.sendMessage(bob!, { conversationId, body: 'two' });
      await community.sendMessage(ann!, { conversationId, body: 'three' });
      // Your own messages are never unread; sending reads everything before.
      expect(await unreadOf(ann!, conversationId)).toBe(0);
      expect(await unreadOf(bob!, conversationId)).toBe(1);
      expect(await unreadOf(cid!, conversationId)).toBe(3);
      expect((await community.markRead(cid!, { conversationId })).unreadCount).toBe(0);
      expect(await unreadOf(cid!, conversationId)).toBe(0);
      expect(await unreadOf(bob!, conversationId)).toBe(1);
      await community.sendMessage(bob!, { conversationId, body: 'four' });
      expect(await unreadOf(cid!, conversationId)).toBe(1);
      expect((await community.markRead(cid!, { conversationId })).unreadCount).toBe(0);
      expect((await community.markRead(cid!, { conversationId })).unreadCount).toBe(0);
    });

    it('lists conversations by latest activity, page by page', async () => {
      const [ann, bob, cid] = people('ann', 'bob', 'cid');
      const a = await community.createConversation(ann!, { type: 'direct', userId: bob!.userId });
      const b = await community.createConversation(ann!, { type: 'direct', userId: cid!.userId });
      const c = await group(ann!, [bob!, cid!]);
      const ids = async (who: CallContext) => {
        const out: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await community.listConversations(who, { limit: 2, cursor });
          out.push(...page.items.map((x) => x.conversationId));
          cursor = page.nextCursor;
        } while (cursor);
        return out;
      };
      expect(await ids(ann!)).toEqual([c.conversationId, b.conversationId, a.conversationId]);
      await community.sendMessage(bob!, { conversationId: a.conversationId, body: 'bump' });
      expect(await ids(ann!)).toEqual([a.conversationId, c.conversationId, b.conversationId]);
      expect(await ids(bob!)).toEqual([a.conversationId, c.conversationId]);
      expect(await ids(cid!)).toEqual([c.conversationId, b.conversationId]);
    });

    it('keeps every message and exact unread counts under parallel sends and read markers', async () => {
      const [ann, bob, cid] = people('ann', 'bob', 'cid');
      const { conversationId } = await group(ann!, [bob!, cid!]);
      const sends = Array.from({ length: 10 }, (_, i) => community.sendMessage(i % 2 ? ann! : bob!, { conversationId, body: `p${i}` }));
      const marks = Array.from({ length: 3 }, () => community.markRead(cid!, { conversationId }));
      await Promise.all([...sends, ...marks]);
      const messages = (await community.listMessages(cid!, { conversationId, limit: 100 })).items;
      expect(messages.map((m) => m.body).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`).sort());
      // Every message is counted for the member who read none of them after the last mark_read.
      await community.markRead(cid!, { conversationId });
      const more = await Promise.all(Array.from({ length: 10 }, (_, i) => community.sendMessage(i % 2 ? ann! : bob!, { conversationId, body: `q${i}` })));
      expect(await unreadOf(cid!, conversationId)).toBe(10);
      // Each sender's count is the other's messages after their own last one.
      const newestFirst = (await community.listMessages(cid!, { conversationId, limit: 100 })).items;
      for (const who of [ann!, bob!]) {
        const since = newestFirst.findIndex((m) => m.senderId === who.userId);
        expect(await unreadOf(who, conversationId)).toBe(since);
      }
      expect(more).toHaveLength(10);
      expect((await community.markRead(cid!, { conversationId })).unreadCount).toBe(0);
    });

    it('lets the creator or a moderator change a group, answers 403 to other members and 409 for a direct conversation', async () => {
      const [ann, bob, cid, dan, mod] = people('ann', 'bob', 'cid', 'dan', 'mod');
      const { conversationId } = await group(ann!, [bob!]);
      expect((await community.addMember(ann!, { conversationId, userId: cid!.userId })).members).toEqual([ann!.userId, bob!.userId, cid!.userId]);
      // Adding a member twice changes nothing.
      expect((await community.addMember(ann!, { conversationId, userId: cid!.userId })).members).toHaveLength(3);
      expect(await codeOf(community.addMember(bob!, { conversationId, userId: dan!.userId }))).toBe('FORBIDDEN');
      expect(await codeOf(community.removeMember(bob!, { conversationId, userId: cid!.userId }))).toBe('FORBIDDEN');
      // A moderator need not be a member.
      expect((await community.addMember(mod!, { conversationId, userId: dan!.userId, moderator: true })).members).toContain(dan!.userId);
      expect(await codeOf(community.removeMember(ann!, { conversationId, userId: 'nobody' }))).toBe('NOT_FOUND');

      const direct = await community.createConversation(ann!, { type: 'direct', userId: bob!.userId });
      expect(await codeOf(community.addMember(ann!, { conversationId: direct.conversationId, userId: cid!.userId }))).toBe('CONFLICT');
      expect(await codeOf(community.removeMember(mod!, { conversationId: direct.conversationId, userId: bob!.userId, moderator: true }))).toBe('CONFLICT');
    });

    it('stops a removed member from reading or posting, and lets them back in when added again', async () => {
      const [ann, bob] = people('ann', 'bob');
      const { conversationId } = await group(ann!, [bob!]);
      await community.sendMessage(ann!, { conversationId, body: 'before' });
      await community.removeMember(ann!, { conversationId, userId: bob!.userId });
      expect(await codeOf(community.listMessages(bob!, { conversationId }))).toBe('NOT_FOUND');
      expect(await codeOf(community.sendMessage(bob!, { conversationId, body: 'still here?' }))).toBe('NOT_FOUND');
      expect((await community.listConversations(bob!, {})).items).toEqual([]);
      await community.sendMessage(ann!, { conversationId, body: 'after' });

      await community.addMember(ann!, { conversationId, userId: bob!.userId });
      expect(await unreadOf(bob!, conversationId)).toBe(0);
      expect((await community.listMessages(bob!, { conversationId })).items.map((m) => m.body)).toEqual(['after', 'before']);
    });

    it('lands every one of many parallel member changes, and never exceeds the member cap', async () => {
      const [ann] = people('ann');
      const { conversationId } = await community.createConversation(ann!, { type: 'group', title: 'Busy', members: [] });
      const added = Array.from({ length: 10 }, (_, i) => `new-${i}`);
      await Promise.all(added.map((userId) => community.addMember(ann!, { conversationId, userId })));
      await Promise.all(added.slice(0, 4).map((userId) => community.removeMember(ann!, { conversationId, userId })));
      const after = (await community.listConversations(ann!, {})).items[0]!;
      expect(after.members.sort()).toEqual([ann!.userId, ...added.slice(4)].sort());

      const nearlyFull = await community.createConversation(ann!, {
        type: 'group',
        title: 'Nearly full',
        members: Array.from({ length: MAX_MEMBERS - 6 }, (_, i) => `x-${i}`),
      });
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(community.addMember(ann!, { conversationId: nearlyFull.conversationId, userId: `late-${i}` }))));
      expect(outcomes.filter((code) => code === 'OK')).toHaveLength(5);
      expect(outcomes.filter((code) => code !== 'OK').every((code) => code === 'CONFLICT')).toBe(true);
      const full = (await community.listConversations(ann!, { limit: 100 })).items.find((c) => c.conversationId === nearlyFull.conversationId)!;
      expect(full.members).toHaveLength(MAX_MEMBERS);
      // The largest message write: the message, the conversation and two inbox items per member.
      await community.sendMessage(ann!, { conversationId: nearlyFull.conversationId, body: 'everyone here?' });
      const [seen] = (await community.listConversations(callerOf(ann!.tenantId, 'x-0'), {})).items;
      expect(seen).toMatchObject({ conversationId: nearlyFull.conversationId, unreadCount: 1 });
    });
  });
}
