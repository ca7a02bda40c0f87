// Community's rules: who may read, post and change members, the unique direct conversation, unread counts.
// Every change reads the conversation, decides, and writes it back conditioned on the version read
// (store.ts); a write that lost to a concurrent one is decided again on fresh data, a bounded number
// of times, so parallel messages, read markers and member changes all land and the counts stay exact.
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_MEMBERS, PREVIEW_LENGTH, type CommunityContract, type Conversation, type Message } from '#connectors/contracts/community';
import { PlatformError, conflict, invalid, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { activityOf, newId } from './keys.ts';
import type { CommunityStore, ConversationRecord, MemberState } from './store.ts';

/** How often a write that lost to a concurrent one is tried again before the caller gets a CONFLICT. */
export const MAX_ATTEMPTS = 15;

export interface CommunityDeps {
  store: CommunityStore;
  now?: () => Date;
}

const fieldError = (field: string, message: string) => invalid(`${field}: ${message}`, { issues: [{ field, message }] });
const busy = () => conflict('The conversation changed too often while saving; try again');
/** Jittered, growing pause between attempts, so parallel writers stop colliding. */
const backoff = (attempt: number) => sleep(Math.floor(Math.random() * 10 * attempt) + 2);

const isMember = (record: ConversationRecord, userId: string) => record.members.some((member) => member.userId === userId);
const nameOf = (ctx: CallContext) => ctx.displayName || ctx.userId;

/** The public shape, as `viewerId` sees it (their own unread count). */
function toConversation(record: ConversationRecord, viewerId: string): Conversation {
  const { activity: _activity, version: _version, members, ...shown } = record;
  const viewer = members.find((member) => member.userId === viewerId);
  return { ...shown, members: members.map((member) => member.userId), unreadCount: viewer?.unreadCount ?? 0 };
}

/** A change of one conversation: the next record and what the caller gets back, or nothing to write. */
type Change<T> = { next: ConversationRecord; message?: Message; result: T } | { result: T };

export function createCommunityOperations({ store, now = () => new Date() }: CommunityDeps): OperationsOf<CommunityContract> {
  /** The conversation if the caller may see it: members only; another tenant's or a stranger's reads as 404. */
  async function visible(ctx: CallContext, conversationId: string, { moderator = false } = {}): Promise<ConversationRecord> {
    const record = await store.getConversation(ctx.tenantId, conversationId);
    if (!record || !(isMember(record, ctx.userId) || moderator)) throw notFound('Conversation');
    return record;
  }

  /** Reads, decides with `decide`, writes under the version read; on a lost race decides again on fresh data. */
  async function change<T>(ctx: CallContext, conversationId: string, decide: (record: ConversationRecord) => Change<T>, moderator = false): Promise<T> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const record = await visible(ctx, conversationId, { moderator });
      const decided = decide(record);
      if (!('next' in decided)) return decided.result;
      const next = { ...decided.next, version: record.version + 1 };
      if (await store.saveConversation(ctx.tenantId, record, next, decided.message)) return decided.result;
      await backoff(attempt);
    }
    throw busy();
  }

  /** Membership changes: the group's creator or a moderator; a member without either gets 403. */
  function assertManages(ctx: CallContext, record: ConversationRecord, moderator: boolean): void {
    if (record.type === 'direct') throw conflict('A direct conversation always has its two members; start a group to add people');
    if (record.createdBy !== ctx.userId && !moderator) {
      throw new PlatformError('FORBIDDEN', "Only the group's creator or a moderator (moderate:community) changes its members");
    }
  }

  function newConversation(ctx: CallContext, type: 'direct' | 'group', memberIds: string[], title?: string): ConversationRecord {
    const at = now();
    const conversationId = newId('cnv', at);
    const createdAt = at.toISOString();
    const members: MemberState[] = memberIds.map((userId) => ({ userId, joinedAt: createdAt, unreadCount: 0 }));
    return { conversationId, type, ...(title !== undefined && { title }), createdBy: ctx.userId, createdAt, activity: activityOf(conversationId), version: 1, members };
  }

  /** The pair's one direct conversation: the existing one, or a new one whose claim wins against parallel creates. */
  async function directWith(ctx: CallContext, otherId: string): Promise<Conversation> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const existingId = await store.getDirect(ctx.tenantId, ctx.userId, otherId);
      if (existingId) return toConversation(await visible(ctx, existingId), ctx.userId);
      const record = newConversation(ctx, 'direct', [ctx.userId, otherId]);
      if ((await store.createConversation(ctx.tenantId, record)) === 'created') return toConversation(record, ctx.userId);
      // Another create claimed the pair (or got in the way): read the claim again.
      await backoff(attempt);
    }
    throw busy();
  }

  return {
    async listConversations(ctx, { limit, cursor }) {
      const page = await store.listConversations(ctx.tenantId, ctx.userId, { limit, cursor });
      return { items: page.items.filter((record) => isMember(record, ctx.userId)).map((record) => toConversation(record, ctx.userId)), nextCursor: page.nextCursor };
    },

    async createConversation(ctx, { type, userId, title, members }) {
      if (type === 'direct') {
        if (title !== undefined) throw fieldError('title', 'a direct conversation has no title');
        if (members !== undefined) throw fieldError('members', 'a direct conversation takes userId, not members');
        if (userId === undefined) throw fieldError('userId', 'a direct conversation needs the other user');
        if (userId === ctx.userId) throw fieldError('userId', 'a direct conversation needs another user than you');
        return directWith(ctx, userId);
      }
      if (userId !== undefined) throw fieldError('userId', 'a group takes members, not userId');
      if (title === undefined) throw fieldError('title', 'a group needs a title');
      const memberIds = [...new Set([ctx.userId, ...(members ?? [])])];
      if (memberIds.length > MAX_MEMBERS) throw fieldError('members', `a group has at most ${MAX_MEMBERS} members, you included`);
      const record = newConversation(ctx, 'group', memberIds, title);
      // A fresh id cannot collide; only a failing table makes this fail.
      if ((await store.createConversation(ctx.tenantId, record)) !== 'created') throw busy();
      return toConversation(record, ctx.userId);
    },

    async sendMessage(ctx, { conversationId, body }) {
      return change(ctx, conversationId, (record) => {
        const at = now();
        const message: Message = {
          messageId: newId('msg', at),
          conversationId,
          senderId: ctx.userId,
          senderName: nameOf(ctx),
          body,
          createdAt: at.toISOString(),
        };
        // The sender has read everything up to their own message; everyone else has one more unread.
        const members = record.members.map((member) =>
          member.userId === ctx.userId ? { ...member, unreadCount: 0, lastReadAt: message.createdAt } : { ...member, unreadCount: member.unreadCount + 1 },
        );
        const activity = activityOf(message.messageId);
        // Clocks of two containers may disagree: the conversation's activity never goes back.
        const latest =
          activity > record.activity
            ? {
                activity,
                lastMessageAt: message.createdAt,
                lastMessage: { messageId: message.messageId, senderId: message.senderId, senderName: message.senderName, preview: body.slice(0, PREVIEW_LENGTH) },
              }
            : {};
        return { next: { ...record, ...latest, members }, message, result: message };
      });
    },

    async listMessages(ctx, { conversationId, limit, cursor, order }) {
      await visible(ctx, conversationId);
      return store.listMessages(ctx.tenantId, conversationId, { limit, cursor }, order === 'newest');
    },

    async markRead(ctx, { conversationId }) {
      return change(ctx, conversationId, (record) => {
        const me = record.members.find((member) => member.userId === ctx.userId)!;
        if (me.unreadCount === 0) return { result: toConversation(record, ctx.userId) };
        const lastReadAt = now().toISOString();
        const next = { ...record, members: record.members.map((member) => (member === me ? { ...member, unreadCount: 0, lastReadAt } : member)) };
        return { next, result: toConversation(next, ctx.userId) };
      });
    },

    async addMember(ctx, { conversationId, userId, moderator = false }) {
      return change(
        ctx,
        conversationId,
        (record) => {
          assertManages(ctx, record, moderator);
          if (isMember(record, userId)) return { result: toConversation(record, ctx.userId) };
          if (record.members.length >= MAX_MEMBERS) throw conflict(`A group has at most ${MAX_MEMBERS} members`);
          const next = { ...record, members: [...record.members, { userId, joinedAt: now().toISOString(), unreadCount: 0 }] };
          return { next, result: toConversation(next, ctx.userId) };
        },
        moderator,
      );
    },

    async removeMember(ctx, { conversationId, userId, moderator = false }) {
      return change(
        ctx,
        conversationId,
        (record) => {
          assertManages(ctx, record, moderator);
          if (!isMember(record, userId)) throw notFound('Member');
          const next = { ...record, members: record.members.filter((member) => member.userId !== userId) };
          return { next, result: toConversation(next, ctx.userId) };
        },
        moderator,
      );
    },
  };
}
