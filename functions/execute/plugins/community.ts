// moz.platform.community: conversations and messages of the caller's tenant. Each action validates with
// the Community contract's input schema and forwards to the Community connector. Two things only the
// runtime knows are added here: that the users named exist in the tenant (Identity answers 404
// otherwise), and whether the caller moderates (`moderate:community`), a flag the client's input omits.
import * as z from 'zod/mini';
import { MAX_MEMBERS, communityContract as contract } from '#connectors/contracts/community';
import type { CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { moderated } from './guards.ts';
import { action, forwarder, type Plugin } from './types.ts';

const forward = forwarder('community');

/** Each named user must be a user of the caller's tenant (404 otherwise), so nobody is added by a typo. */
const assertUsersExist = (ctx: CallContext, { identity }: ConnectorBundle, userIds: Iterable<string>) =>
  Promise.all([...new Set(userIds)].filter((userId) => userId !== ctx.userId).map((userId) => identity.getUser(ctx, { userId })));

/**
 * A membership change, by the group's creator or a holder of `moderate:community` (the service decides).
 * `read:community` lets moderators reach it: they hold read:* but not message:community.
 */
const membershipChange = (op: 'addMember' | 'removeMember', description: string, checkUser: boolean) =>
  moderated('community', op, 'moderate:community', {
    description,
    permission: 'read:community',
    ...(checkUser && { before: (ctx, input, connectors) => assertUsersExist(ctx, connectors, [input.userId as string]) }),
  });

export const communityPlugin: Plugin = {
  name: 'moz.platform.community',
  actions: {
    list_conversations: forward('listConversations', 'Your conversations, most recent activity first, with your unread count in each', 'read:community'),
    create_conversation: action({
      description: `Start a direct conversation (type "direct", userId; one per pair of users) or a group (type "group", title, members; at most ${MAX_MEMBERS} with you)`,
      permission: 'message:community',
      input: contract.createConversation.input,
      run: async (ctx, input, connectors) => {
        await assertUsersExist(ctx, connectors, [...(input.userId === undefined ? [] : [input.userId]), ...(input.members ?? [])]);
        return connectors.community.createConversation(ctx, input);
      },
    }),
    send_message: forward('sendMessage', 'Post a message (1..4000 characters) to a conversation you are a member of', 'message:community'),
    list_messages: forward('listMessages', 'Messages of a conversation you are a member of, newest first (order: "oldest" reads forward)', 'read:community'),
    mark_read: forward('markRead', 'Mark everything in a conversation read: your unread count becomes 0', 'read:community'),
    add_member: membershipChange('addMember', "Add a user to a group (the group's creator or a moderate:community holder)", true),
    remove_member: membershipChange('removeMember', "Remove a member from a group (the group's creator or a moderate:community holder)", false),
  },
};
