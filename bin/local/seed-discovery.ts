// Demo Discovery data for `npm start`: the demo app published as a listing, and a welcome quest.
// Idempotent across restarts: each is created only when it is not there yet.
import type { ConnectorBundle } from '#connectors/loader';
import { PlatformError, type CallContext } from '#connectors/contracts/wire';

const WELCOME_QUEST = 'Welcome to Mozaiks';

export async function seedDiscovery({ hosting, discovery }: ConnectorBundle, owner: CallContext): Promise<void> {
  const app = (await hosting.listApps(owner, { limit: 100 })).items.find((candidate) => candidate.slug === 'demo');
  if (app && !(await isPublished(discovery, owner, app.appId))) {
    await discovery.publishListing(owner, {
      appId: app.appId,
      name: 'Demo app',
      tagline: 'The app npm start seeds, published in the marketplace',
      description: 'Search for it, rate it, and publish your own apps next to it.',
      category: 'demo',
      tags: ['starter', 'example'],
    });
  }
  const quests = await discovery.listQuests(owner, { limit: 100 });
  if (!quests.items.some((quest) => quest.title === WELCOME_QUEST)) {
    await discovery.createQuest(owner, {
      title: WELCOME_QUEST,
      description: 'Take a first look around the platform.',
      steps: [
        { stepId: 'find-listing', title: 'Find the demo app in the marketplace' },
        { stepId: 'rate-listing', title: 'Rate it' },
        { stepId: 'write-post', title: 'Write a first post' },
      ],
      rewardPoints: 100,
    });
  }
}

async function isPublished(discovery: ConnectorBundle['discovery'], owner: CallContext, appId: string): Promise<boolean> {
  try {
    await discovery.getListing(owner, { appId });
    return true;
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'NOT_FOUND') return false;
    throw error;
  }
}
