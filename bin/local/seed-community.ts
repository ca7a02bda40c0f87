// Demo Community data for `npm start`: a second demo user and a direct conversation in which that user
// has greeted the owner, so the owner's first `list_conversations` shows an unread message.
// Idempotent across restarts: the direct conversation is unique per pair, and the greeting is sent
// only while the conversation is empty.
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';

export const DEMO_FRIEND = 'demo-friend';

export async function seedCommunity({ identity, community }: ConnectorBundle, owner: CallContext): Promise<void> {
  const friend: CallContext = { ...owner, userId: DEMO_FRIEND, roles: ['member'], displayName: 'Demo Friend' };
  await identity.resolveUser(friend, { username: 'demo-friend', email: 'friend@example.com', displayName: 'Demo Friend', tokenRoles: ['member'] });
  const { conversationId } = await community.createConversation(friend, { type: 'direct', userId: owner.userId });
  if ((await community.listMessages(friend, { conversationId, limit: 1 })).items.length > 0) return;
  await community.sendMessage(friend, {
    conversationId,
    body: 'Welcome to Mozaiks! This is moz.platform.community: reply with send_message, and mark_read clears this unread count.',
  });
}
