// The Community wire contract: direct and group conversations of a tenant's users, their messages,
// and each member's read marker (as an unread count).
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput } from './schema.ts';

export const CONVERSATION_TYPES = ['direct', 'group'] as const;
export const MESSAGE_ORDERS = ['newest', 'oldest'] as const;

/**
 * Members of a group, the creator included. Sending a message is one atomic write of the message,
 * the conversation and two index items per member (README, "Community"): 2 + 2 x 49 = 100, the
 * largest write DynamoDB accepts.
 */
export const MAX_MEMBERS = 49;
export const MAX_BODY = 4000;
/** How much of the last message a conversation shows. */
export const PREVIEW_LENGTH = 200;

/** Identity's user ids (a token's `sub`): 1..128 characters. */
const userId = () => z.string().check(z.minLength(1), z.maxLength(128));
const title = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const conversationRef = { conversationId: id() };

export const message = lazy(() => z.object({
  messageId: z.string(),
  conversationId: z.string(),
  senderId: z.string(),
  /** The sender's display name when sending (from Identity via the call context), so a list needs no lookup per message. */
  senderName: z.string(),
  body: z.string(),
  createdAt: isoTime(),
}));
export type Message = z.output<ReturnType<typeof message>>;

export const conversation = lazy(() => z.object({
  conversationId: z.string(),
  type: z.enum(CONVERSATION_TYPES),
  title: z.optional(z.string()),
  members: z.array(z.string()),
  createdBy: z.string(),
  createdAt: isoTime(),
  lastMessageAt: z.optional(isoTime()),
  lastMessage: z.optional(z.object({ messageId: z.string(), senderId: z.string(), senderName: z.string(), preview: z.string() })),
  /** The caller's messages not yet marked read (never counts the caller's own). */
  unreadCount: z.int(),
}));
export type Conversation = z.output<ReturnType<typeof conversation>>;

/**
 * Set by the execute runtime from the caller's permissions (`moderate:community`), never by a client:
 * the plugin's input schemas omit it.
 */
const moderator = { moderator: z.optional(z.boolean()) };

/** Every Community operation: its input (what callers send) and output (what they get back). */
export const communityContract = defineContract({
  /** The caller's conversations, most recent activity first. */
  listConversations: () => ({ input: z.strictObject(pageInput), output: page(conversation()) }),
  /**
   * `direct`: with `userId`, unique per pair of users (answers the existing one); `group`: with
   * `title` and `members` (the caller is added).
   */
  createConversation: () => ({
    input: z.strictObject({
      type: z.enum(CONVERSATION_TYPES),
      userId: z.optional(userId()),
      title: z.optional(title()),
      members: z.optional(z.array(userId()).check(z.maxLength(MAX_MEMBERS))),
    }),
    output: conversation(),
  }),
  sendMessage: () => ({
    input: z.strictObject({ ...conversationRef, body: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_BODY)) }),
    output: message(),
  }),
  /** Newest first by default; `order: "oldest"` reads forward. */
  listMessages: () => ({
    input: z.strictObject({ ...conversationRef, ...pageInput, order: z._default(z.enum(MESSAGE_ORDERS), 'newest') }),
    output: page(message()),
  }),
  /** Everything in the conversation up to now is read: the caller's unread count becomes 0. */
  markRead: () => ({ input: z.strictObject(conversationRef), output: conversation() }),
  addMember: () => ({ input: z.strictObject({ ...conversationRef, userId: userId(), ...moderator }), output: conversation() }),
  removeMember: () => ({ input: z.strictObject({ ...conversationRef, userId: userId(), ...moderator }), output: conversation() }),
});

export type CommunityContract = typeof communityContract;
