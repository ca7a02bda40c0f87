// Demo Social data for `npm start`: a few posts by the demo owner, one liked and commented, so the
// feed shows something at once. Idempotent: npm start runs it on every start over the same data, so
// it posts only when the owner has no post yet.
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';

const POSTS = [
  'Welcome to the demo tenant! This feed is moz.platform.social: post, like, comment and follow.',
  'Tip: get_feed with scope "following" shows your posts and those of the people you follow.',
  'Our demo app is live in Hosting; tell us what you think in the comments.',
];

export async function seedSocial({ social }: ConnectorBundle, owner: CallContext): Promise<void> {
  const feed = await social.getFeed(owner, { scope: 'following', limit: 1 });
  if (feed.items.length > 0) return;
  const posts = [];
  for (const body of POSTS) posts.push(await social.createPost(owner, { body }));
  const newest = posts.at(-1)!;
  await social.likePost(owner, { postId: newest.postId });
  await social.addComment(owner, { postId: newest.postId, body: 'Comments count exactly, even when everyone writes at once.' });
}
