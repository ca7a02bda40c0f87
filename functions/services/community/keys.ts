// Community's key layout, one table, every item under its tenant's partition `T#<tenantId>`:
//   CONV#<conversationId>                         the conversation, with every member's read state
//   MSG#<conversationId>#<messageId>              its messages (time-ordered ids)
//   INBOX#<user>#<activity>#<conversationId>      a member's index of conversations by last activity
//   PAIR#<user>#<user>                            the claim that makes a direct conversation unique
// User ids are any string a token carries, so they are URI-encoded in keys: a `#` in one can never
// make one user's prefix match another's.
export { decodeCursor, encodeCursor, newId, tenantKey, tenantPk } from '#functions/shared/keys';

const user = (userId: string) => encodeURIComponent(userId);

export const conversationSk = (conversationId: string) => `CONV#${conversationId}`;
export const messagePrefix = (conversationId: string) => `MSG#${conversationId}#`;
export const messageSk = (conversationId: string, messageId: string) => messagePrefix(conversationId) + messageId;
export const inboxPrefix = (userId: string) => `INBOX#${user(userId)}#`;
export const inboxSk = (userId: string, activity: string, conversationId: string) => `${inboxPrefix(userId)}${activity}#${conversationId}`;
/** One claim per unordered pair: the two ids sorted. */
export const pairSk = (a: string, b: string) => `PAIR#${[a, b].map(user).sort().join('#')}`;

/** The time-ordered part of an id (`cnv_…` or `msg_…`), so creations and messages sort together. */
export const activityOf = (id: string) => id.slice(id.indexOf('_') + 1);
