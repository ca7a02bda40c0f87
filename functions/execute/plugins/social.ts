// moz.platform.social: posts, the feed, likes, comments and follows of the caller's tenant. Whether the
// caller may moderate is never taken from the client: the delete schemas omit `moderator`, and the
// runtime's caller (its stored permissions) supplies it.
import * as z from 'zod/mini';
import { socialContract as contract } from '#connectors/contracts/social';
import { moderated } from './guards.ts';
import { action, forwarder, type ActionDefinition, type Plugin } from './types.ts';

const forward = forwarder('social');

/** Deletes by the author, or by anyone holding `moderate:social`. Moderators hold read:* but not post:social. */
const moderatedDelete = (op: 'deletePost' | 'deleteComment', description: string) =>
  moderated('social', op, 'moderate:social', { description, permission: 'read:social' });

/** Follows are between users of the tenant: Identity answers 404 for anyone else before the follow is written. */
const followAction = (op: 'follow' | 'unfollow', description: string): ActionDefinition =>
  action({
    description,
    permission: 'post:social',
    input: contract[op].input,
    run: async (ctx, input, { identity, social }) => {
      if (input.userId !== ctx.userId) await identity.getUser(ctx, { userId: input.userId });
      return social[op](ctx, input);
    },
  });

export const socialPlugin: Plugin = {
  name: 'moz.platform.social',
  actions: {
    get_feed: forward('getFeed', 'Posts newest first: scope "all" (the tenant) or "following" (you and the users you follow)', 'read:social'),
    create_post: forward('createPost', 'Post (1..5000 characters)', 'post:social'),
    edit_post: forward('editPost', 'Change the body of your own post', 'post:social'),
    delete_post: moderatedDelete('deletePost', 'Delete your post (moderators: any post)'),
    like_post: forward('likePost', 'Like a post (once per user)', 'post:social'),
    unlike_post: forward('unlikePost', 'Take your like back', 'post:social'),
    add_comment: forward('addComment', 'Comment on a post (1..2000 characters)', 'post:social'),
    list_comments: forward('listComments', "A post's comments, oldest first", 'read:social'),
    delete_comment: moderatedDelete('deleteComment', 'Delete your comment (moderators: any comment)'),
    follow: followAction('follow', 'Follow a user of your tenant (their posts join your following feed)'),
    unfollow: followAction('unfollow', 'Stop following a user'),
  },
};
