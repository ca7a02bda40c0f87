// moz.platform.discovery: the platform-wide marketplace (search, listings, ratings) and the tenant's
// quests. Each action validates with the contract's own input schema and forwards to Discovery.
import { discoveryContract as contract } from '#connectors/contracts/discovery';
import { conflict } from '#connectors/contracts/wire';
import { action, forwarder, type Plugin } from './types.ts';

const forward = forwarder('discovery');

export const discoveryPlugin: Plugin = {
  name: 'moz.platform.discovery',
  actions: {
    search_listings: forward('searchListings', 'Search every published listing by words, category and tag; sort by rating or newest', 'read:discovery'),
    get_listing: forward('getListing', 'One published listing (any tenant)', 'read:discovery'),
    publish_listing: action({
      description: 'Publish one of your apps in the marketplace, or update its listing',
      permission: 'manage:discovery',
      input: contract.publishListing.input,
      // Discovery does not know apps: Hosting answers 404 for an unknown or foreign appId first.
      run: async (ctx, input, { hosting, discovery }) => {
        const app = await hosting.getApp(ctx, { appId: input.appId });
        if (app.status === 'archived') throw conflict('An archived app cannot be published; restore it first');
        return discovery.publishListing(ctx, input);
      },
    }),
    // Discovery itself refuses another tenant's listing, so a listing outlives the app it shows and can still be removed.
    unpublish_listing: forward('unpublishListing', 'Remove your listing from the marketplace (its ratings are kept)', 'manage:discovery'),
    rate_listing: forward('rateListing', 'Rate a listing 1..5; rating again replaces your rating', 'read:discovery'),
    list_quests: forward('listQuests', "Your tenant's quests, newest first", 'read:discovery'),
    create_quest: forward('createQuest', 'Define a quest: steps and reward points', 'manage:discovery'),
    start_quest: forward('startQuest', 'Start an active quest', 'read:discovery'),
    complete_quest_step: forward('completeQuestStep', 'Complete a step; the last one awards the points, once', 'read:discovery'),
    get_quest_progress: forward('getQuestProgress', 'Your progress in a quest', 'read:discovery'),
    leaderboard: forward('leaderboard', "Your tenant's users by points", 'read:discovery'),
  },
};
