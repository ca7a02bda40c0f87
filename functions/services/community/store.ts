// Community's store, over the table port (DynamoDB on AWS and locally, memory in mock mode and tests).
// A conversation item holds its members' read state; every change to it is one atomic write of the
// item (conditioned on the version it was computed from), the message if one is sent, and the moves
// of the members' inbox items that keep `list_conversations` ordered by activity. Operations retry a
// write that lost to a concurrent one.
import type { Message } from '#connectors/contracts/community';
import type { Page, PageRequest } from '#functions/shared/paging';
import { put, remove, when, type Table, type Write } from '#functions/shared/table';
import { conversationSk, inboxPrefix, inboxSk, messagePrefix, messageSk, pairSk, tenantKey, tenantPk } from './keys.ts';
export type { Page, PageRequest };

/** One member's place in a conversation: its read marker, as the count of messages since. */
export interface MemberState {
  userId: string;
  joinedAt: string;
  unreadCount: number;
  lastReadAt?: string;
}

export interface ConversationRecord {
  conversationId: string;
  type: 'direct' | 'group';
  title?: string;
  createdBy: string;
  createdAt: string;
  lastMessageAt?: string;
  lastMessage?: { messageId: string; senderId: string; senderName: string; preview: string };
  /** Time-ordered key of the last activity (creation or last message): the members' inbox items sort by it. */
  activity: string;
  version: number;
  members: MemberState[];
}

/** What a create came to: written, or the direct pair was claimed by another conversation first, or a concurrent write got in the way. */
export type CreateOutcome = 'created' | 'taken' | 'raced';

export interface CommunityStore {
  getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined>;
  /** The direct conversation of two users, if they have one. */
  getDirect(tenantId: string, a: string, b: string): Promise<string | undefined>;
  /** A page of the user's conversations, most recent activity first. */
  listConversations(tenantId: string, userId: string, page: PageRequest): Promise<Page<ConversationRecord>>;
  /** Writes a new conversation and its members' inbox items; a direct one claims its pair in the same write. */
  createConversation(tenantId: string, record: ConversationRecord): Promise<CreateOutcome>;
  /**
   * Replaces the conversation if it is still at `previous.version`, with the message (if any) and the
   * inbox moves from `previous` to `next`, in one write. False if it changed meanwhile (nothing written).
   */
  saveConversation(tenantId: string, previous: ConversationRecord, next: ConversationRecord, message?: Message): Promise<boolean>;
  listMessages(tenantId: string, conversationId: string, page: PageRequest, newestFirst: boolean): Promise<Page<Message>>;
}

const membersOf = (record: ConversationRecord) => record.members.map((member) => member.userId);
const directPair = (record: ConversationRecord) => {
  const [a, b] = membersOf(record);
  return pairSk(a!, b!);
};

export function createCommunityStore(table: Table): CommunityStore {
  const inboxKey = (tenantId: string, userId: string, record: ConversationRecord) =>
    tenantKey(tenantId, inboxSk(userId, record.activity, record.conversationId));
  const inboxItem = (tenantId: string, userId: string, record: ConversationRecord) =>
    put(inboxKey(tenantId, userId, record), { conversationId: record.conversationId });

  /** The inbox writes that take the members of `previous` to those of `next`, each at its conversation's activity. */
  function inboxMoves(tenantId: string, previous: ConversationRecord, next: ConversationRecord): Write[] {
    const before = new Set(membersOf(previous));
    const after = new Set(membersOf(next));
    const moved = previous.activity !== next.activity;
    const writes: Write[] = [];
    for (const userId of before) if (!after.has(userId) || moved) writes.push(remove(inboxKey(tenantId, userId, previous)));
    for (const userId of after) if (!before.has(userId) || moved) writes.push(inboxItem(tenantId, userId, next));
    return writes;
  }

  const getConversation = (tenantId: string, conversationId: string) => table.get<ConversationRecord>(tenantKey(tenantId, conversationSk(conversationId)));

  return {
    getConversation,

    async getDirect(tenantId, a, b) {
      return (await table.get<{ conversationId: string }>(tenantKey(tenantId, pairSk(a, b))))?.conversationId;
    },

    async listConversations(tenantId, userId, page) {
      const inbox = await table.query<{ conversationId: string }>(tenantPk(tenantId), inboxPrefix(userId), page, { newestFirst: true });
      const records = await Promise.all(inbox.items.map(({ conversationId }) => getConversation(tenantId, conversationId)));
      return { items: records.filter((record): record is ConversationRecord => record !== undefined), nextCursor: inbox.nextCursor };
    },

    async createConversation(tenantId, record) {
      const claim = record.type === 'direct' ? [put(tenantKey(tenantId, directPair(record)), { conversationId: record.conversationId }, when.notExists())] : [];
      const outcome = await table.write([
        ...claim,
        put(tenantKey(tenantId, conversationSk(record.conversationId)), record, when.notExists()),
        ...membersOf(record).map((userId) => inboxItem(tenantId, userId, record)),
      ]);
      if (outcome.ok) return 'created';
      return claim.length > 0 && outcome.failed[0] ? 'taken' : 'raced';
    },

    async saveConversation(tenantId, previous, next, message) {
      const outcome = await table.write([
        put(tenantKey(tenantId, conversationSk(next.conversationId)), next, when.eq('version', previous.version)),
        ...(message ? [put(tenantKey(tenantId, messageSk(message.conversationId, message.messageId)), message, when.notExists())] : []),
        ...inboxMoves(tenantId, previous, next),
      ]);
      return outcome.ok;
    },

    listMessages: (tenantId, conversationId, page, newestFirst) => table.query<Message>(tenantPk(tenantId), messagePrefix(conversationId), page, { newestFirst }),
  };
}
