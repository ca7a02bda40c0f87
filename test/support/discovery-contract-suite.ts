// The Discovery contract, written once and run over both tables (test/contract/discovery.test.ts).
// Search is platform-wide and the DynamoDB Local table is shared by the run, so every test searches
// for words and categories of its own (random), never for everything.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';
import { callerOf, codeOf, errorOf, newTenant, tenantContext } from './contract-kit.ts';

type Discovery = ConnectorBundle['discovery'];
export type MakeDiscoveryConnector = (adapters: { now: () => Date }) => Promise<Discovery>;

/** A random word of letters only (so it is one search word), unique to the test. */
const word = () => `w${randomUUID().replace(/[^a-f]/g, '').slice(0, 9)}x`;
const appId = () => `app_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const category = () => `c-${randomUUID().slice(0, 8)}`;
const ids = (items: { appId: string }[]) => items.map((item) => item.appId);
const user = (tenantId: string, name: string): CallContext => ({ ...callerOf(tenantId, name), displayName: `User ${name}` });

export function describeDiscoveryContract(name: string, make: MakeDiscoveryConnector): void {
  let discovery: Discovery;
  // A clock one second further on every call, so "newest" is a well-defined order.
  let clock = Date.now();
  beforeAll(async () => {
    discovery = await make({ now: () => new Date((clock += 1000)) });
  });

  const publish = (ctx: CallContext, fields: Partial<Parameters<Discovery['publishListing']>[1]> = {}) =>
    discovery.publishListing(ctx, { appId: appId(), name: 'An app', category: 'tools', ...fields });

  describe(`Discovery connector contract: ${name}`, () => {
    it('publishes a listing anyone can read, updates it by publishing again, and unpublishes it', async () => {
      const owner = tenantContext();
      const stranger = tenantContext();
      const w = word();
      const listing = await publish(owner, {
        name: ` Photo ${w} `,
        tagline: 'Edit photos fast',
        description: 'Long text',
        category: 'Media',
        tags: ['photo', 'Editing', 'photo'],
        logoUrl: 'https://cdn.example.com/logo.png',
      });
      expect(listing).toEqual({
        appId: listing.appId,
        tenantId: owner.tenantId,
        name: `Photo ${w}`,
        tagline: 'Edit photos fast',
        description: 'Long text',
        category: 'media',
        tags: ['photo', 'editing'],
        logoUrl: 'https://cdn.example.com/logo.png',
        publishedAt: expect.any(String),
        ratingAvg: 0,
        ratingCount: 0,
      });
      // Another tenant reads exactly the public fields.
      expect(await discovery.getListing(stranger, { appId: listing.appId })).toEqual(listing);
      await discovery.rateListing(stranger, { appId: listing.appId, stars: 4 });

      const renamed = await discovery.publishListing(owner, { appId: listing.appId, name: `Snap ${w}`, category: 'media' });
      expect(renamed).toMatchObject({ name: `Snap ${w}`, tagline: '', tags: [], publishedAt: listing.publishedAt, ratingAvg: 4, ratingCount: 1 });
      expect(renamed.logoUrl).toBeUndefined();
      expect(await discovery.getListing(stranger, { appId: listing.appId })).toEqual(renamed);
      expect(ids((await discovery.searchListings(stranger, { q: `snap ${w}` })).items)).toEqual([listing.appId]);
      expect((await discovery.searchListings(stranger, { q: `photo ${w}` })).items).toEqual([]);

      expect(await discovery.unpublishListing(owner, { appId: listing.appId })).toEqual({ appId: listing.appId, unpublished: true });
      expect(await codeOf(discovery.getListing(stranger, { appId: listing.appId }))).toBe('NOT_FOUND');
      expect(await codeOf(discovery.unpublishListing(owner, { appId: listing.appId }))).toBe('NOT_FOUND');
      expect(await codeOf(discovery.rateListing(stranger, { appId: listing.appId, stars: 5 }))).toBe('NOT_FOUND');
      expect((await discovery.searchListings(stranger, { q: w })).items).toEqual([]);

      // Published again: a new date, and the ratings it had.
      const again = await discovery.publishListing(owner, { appId: listing.appId, name: `Snap ${w}`, category: 'media' });
      expect(again.publishedAt > listing.publishedAt).toBe(true);
      expect(again).toMatchObject({ ratingAvg: 4, ratingCount: 1 });
      expect(ids((await discovery.searchListings(stranger, { q: w })).items)).toEqual([listing.appId]);
    });

    it("answers NOT_FOUND to another tenant publishing over or unpublishing a tenant's listing", async () => {
      const owner = tenantContext();
      const other = tenantContext();
      const listing = await publish(owner, { name: 'Mine' });
      expect(await codeOf(discovery.publishListing(other, { appId: listing.appId, name: 'Stolen', category: 'tools' }))).toBe('NOT_FOUND');
      expect(await codeOf(discovery.unpublishListing(other, { appId: listing.appId }))).toBe('NOT_FOUND');
      expect(await discovery.getListing(other, { appId: listing.appId })).toEqual(listing);
    });

    it('searches word prefixes of name, tagline and tags, case-insensitively, filtered by category and tag', async () => {
      const owner = tenantContext();
      const searcher = tenantContext();
      const w = word();
      const [media, games] = [category(), category()];
      const alpha = await publish(owner, { name: `Alpha ${w}`, tagline: 'Photo editing', tags: ['design'], category: media });
      const beta = await publish(owner, { name: `Beta ${w}`, tagline: 'Photo sharing', tags: ['social-media'], category: games });
      const gamma = await publish(tenantContext(), { name: 'Gamma', tagline: `${w} toolbox`, tags: ['design'], category: media });
      const search = async (input: Parameters<Discovery['searchListings']>[1]) => ids((await discovery.searchListings(searcher, input)).items);

      expect(await search({ q: w.slice(0, 4).toUpperCase() })).toEqual([gamma.appId, beta.appId, alpha.appId]);
      expect(await search({ q: `${w} PHO` })).toEqual([beta.appId, alpha.appId]);
      expect(await search({ q: `pho ${w} edit` })).toEqual([alpha.appId]);
      expect(await search({ q: `${w} socia` })).toEqual([beta.appId]);
      expect(await search({ q: `${w} tool` })).toEqual([gamma.appId]);
      expect(await search({ q: `${w} photos` })).toEqual([]);
      expect(await search({ q: w, category: media })).toEqual([gamma.appId, alpha.appId]);
      expect(await search({ q: w, tag: 'social-media' })).toEqual([beta.appId]);
      expect(await search({ category: media })).toEqual([gamma.appId, alpha.appId]);
      expect(await search({ category: media, tag: 'design', q: 'alp' })).toEqual([alpha.appId]);
      expect(await search({ category: games, sort: 'rating' })).toEqual([beta.appId]);
      const card = (await discovery.searchListings(searcher, { q: `alpha ${w}` })).items[0];
      expect(card).toEqual(alpha);
    });

    it('paginates a search with a cursor: every listing exactly once, in both orders', async () => {
      const ctx = tenantContext();
      const w = word();
      const published: string[] = [];
      for (let i = 0; i < 7; i++) published.push((await publish(ctx, { name: `${w} number ${i}` })).appId);
      for (const sort of ['newest', 'rating'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await discovery.searchListings(ctx, { q: w, sort, limit: 3, cursor });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...ids(page.items));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual([...published].reverse());
      }
      expect(await codeOf(discovery.searchListings(ctx, { q: w, cursor: Buffer.from('QUEST#x').toString('base64url') }))).toBe('VALIDATION_FAILED');
    });

    it('rates 1..5 (anything else is a 400 naming stars); rating again replaces the earlier rating', async () => {
      const listing = await publish(tenantContext());
      const rater = tenantContext();
      for (const stars of [0, 6, 2.5]) {
        const error = await errorOf(discovery.rateListing(rater, { appId: listing.appId, stars }));
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.message).toContain('stars');
      }
      expect(await discovery.rateListing(rater, { appId: listing.appId, stars: 5 })).toMatchObject({ ratingAvg: 5, ratingCount: 1 });
      expect(await discovery.rateListing(rater, { appId: listing.appId, stars: 2 })).toMatchObject({ ratingAvg: 2, ratingCount: 1 });
      // The same user id in another tenant is another user.
      const twin = { ...tenantContext(), userId: rater.userId };
      expect(await discovery.rateListing(twin, { appId: listing.appId, stars: 3 })).toMatchObject({ ratingAvg: 2.5, ratingCount: 2 });
      expect(await codeOf(discovery.rateListing(rater, { appId: appId(), stars: 3 }))).toBe('NOT_FOUND');
    });

    it('keeps ratingCount and ratingAvg exact when 20 users rate at once, and one user re-rates at once', async () => {
      const w = word();
      const cat = category();
      const low = await publish(tenantContext(), { name: `Low ${w}`, category: cat });
      const high = await publish(tenantContext(), { name: `High ${w}`, category: cat });
      const raters = Array.from({ length: 20 }, () => tenantContext(newTenant(), ['member']));
      const highStars = raters.map((_, i) => (i % 4 === 0 ? 3 : 5));
      await Promise.all([
        ...raters.map((rater, i) => discovery.rateListing(rater, { appId: high.appId, stars: highStars[i]! })),
        ...raters.map((rater, i) => discovery.rateListing(rater, { appId: low.appId, stars: (i % 2) + 1 })),
      ]);
      const sum = highStars.reduce((a, b) => a + b, 0);
      expect(await discovery.getListing(raters[0]!, { appId: high.appId })).toMatchObject({ ratingCount: 20, ratingAvg: Math.round((sum / 20) * 100) / 100 });
      expect(await discovery.getListing(raters[0]!, { appId: low.appId })).toMatchObject({ ratingCount: 20, ratingAvg: 1.5 });

      // One user re-rating in parallel: still one rating, and the average is one of the ratings sent.
      const fickle = tenantContext();
      await Promise.all([1, 2, 3, 4, 5, 1, 2, 3].map((stars) => discovery.rateListing(fickle, { appId: low.appId, stars })));
      const after = await discovery.getListing(fickle, { appId: low.appId });
      expect(after.ratingCount).toBe(21);
      expect([1, 2, 3, 4, 5].map((stars) => Math.round(((30 + stars) / 21) * 100) / 100)).toContain(after.ratingAvg);
      // The sum holds exactly the one stored rating: replacing it lands on the exact average.
      expect(await discovery.rateListing(fickle, { appId: low.appId, stars: 5 })).toMatchObject({ ratingCount: 21, ratingAvg: Math.round((35 / 21) * 100) / 100 });

      // The rating order follows the averages, and each listing is in it exactly once.
      expect(ids((await discovery.searchListings(fickle, { q: w, sort: 'rating' })).items)).toEqual([high.appId, low.appId]);
      expect(ids((await discovery.searchListings(fickle, { category: cat, sort: 'rating' })).items)).toEqual([high.appId, low.appId]);
      expect(ids((await discovery.searchListings(fickle, { q: w, sort: 'newest' })).items)).toEqual([high.appId, low.appId]);
    });

    it('leaves exactly one current index entry per listing after parallel publishes', async () => {
      const owner = tenantContext();
      const w = word();
      const names = Array.from({ length: 5 }, (_, i) => `${w} ${word()} v${i}`);
      const first = await publish(owner, { name: names[0] });
      await Promise.all(names.map((name) => discovery.publishListing(owner, { appId: first.appId, name, category: 'tools' })));
      const final = await discovery.getListing(owner, { appId: first.appId });
      expect(names).toContain(final.name);
      for (const sort of ['newest', 'rating'] as const) {
        expect(ids((await discovery.searchListings(owner, { q: w, sort })).items)).toEqual([first.appId]);
        for (const name of names) {
          const found = ids((await discovery.searchListings(owner, { q: name.split(' ')[1], sort })).items);
          expect(found).toEqual(name === final.name ? [first.appId] : []);
        }
      }
    });

    it('rejects invalid input naming the field', async () => {
      const ctx = tenantContext();
      const cases: [Promise<unknown>, string][] = [
        [publish(ctx, { logoUrl: 'javascript:alert(1)' }), 'logoUrl'],
        [publish(ctx, { category: 'Not a category!' }), 'category'],
        [publish(ctx, { name: '' }), 'name'],
        [publish(ctx, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }), 'tags'],
        [discovery.searchListings(ctx, { q: 'a' }), 'q'],
        [discovery.searchListings(ctx, { sort: 'popular' as never }), 'sort'],
        [discovery.createQuest(ctx, { title: 'Q', steps: [], rewardPoints: 5 }), 'steps'],
        [discovery.createQuest(ctx, { title: 'Q', steps: [{ title: 'a', stepId: 's' }, { title: 'b', stepId: 's' }], rewardPoints: 5 }), 'steps.1.stepId'],
        [discovery.createQuest(ctx, { title: 'Q', steps: [{ title: 'a' }], rewardPoints: -1 }), 'rewardPoints'],
      ];
      for (const [call, field] of cases) {
        const error = await errorOf(call);
        expect(error.code, field).toBe('VALIDATION_FAILED');
        expect((error.details as { issues: { field: string }[] }).issues.map((issue) => issue.field)).toContain(field);
      }
    });

    it("runs a tenant's quests: create, list, start, complete steps once, progress; other tenants see 404", async () => {
      const owner = tenantContext();
      const player = { ...callerOf(owner.tenantId, 'player'), displayName: 'Player One' };
      const quest = await discovery.createQuest(owner, {
        title: 'Onboarding',
        description: 'Learn the ropes',
        steps: [{ title: 'Profile' }, { stepId: 'first-post', title: 'First post' }],
        rewardPoints: 50,
      });
      expect(quest).toMatchObject({ title: 'Onboarding', active: true, rewardPoints: 50, steps: [{ stepId: 'step-1', title: 'Profile' }, { stepId: 'first-post', title: 'First post' }] });
      const hidden = await discovery.createQuest(owner, { title: 'Later', steps: [{ title: 'x' }], rewardPoints: 1, active: false });
      expect(ids((await discovery.listQuests(player, {})).items.map((q) => ({ appId: q.questId })))).toEqual([hidden.questId, quest.questId]);
      expect((await discovery.listQuests(player, { active: true })).items.map((q) => q.questId)).toEqual([quest.questId]);
      expect(await codeOf(discovery.startQuest(player, { questId: hidden.questId }))).toBe('CONFLICT');

      expect(await codeOf(discovery.completeQuestStep(player, { questId: quest.questId, stepId: 'step-1' }))).toBe('CONFLICT');
      const started = await discovery.startQuest(player, { questId: quest.questId });
      expect(started).toMatchObject({ status: 'in_progress', completedSteps: [], pointsAwarded: 0, version: 1 });
      expect(await discovery.startQuest(player, { questId: quest.questId })).toEqual(started);
      const one = await discovery.completeQuestStep(player, { questId: quest.questId, stepId: 'step-1' });
      expect(one).toMatchObject({ completedSteps: ['step-1'], version: 2 });
      expect(await discovery.completeQuestStep(player, { questId: quest.questId, stepId: 'step-1' })).toEqual(one);
      expect(await codeOf(discovery.completeQuestStep(player, { questId: quest.questId, stepId: 'nope' }))).toBe('NOT_FOUND');
      const done = await discovery.completeQuestStep(player, { questId: quest.questId, stepId: 'first-post' });
      expect(done).toMatchObject({ status: 'completed', pointsAwarded: 50, completedSteps: ['step-1', 'first-post'] });
      expect(await discovery.getQuestProgress(player, { questId: quest.questId })).toEqual(done);
      expect(await discovery.completeQuestStep(player, { questId: quest.questId, stepId: 'first-post' })).toEqual(done);
      // The list carries each caller's own progress, and only theirs.
      const listed = (await discovery.listQuests(player, {})).items;
      expect(listed.find((q) => q.questId === quest.questId)?.myProgress).toEqual(done);
      expect(listed.find((q) => q.questId === hidden.questId)?.myProgress).toBeUndefined();
      const other = { ...player, userId: 'player-two', correlationId: 'c2' };
      expect((await discovery.listQuests(other, {})).items.every((q) => q.myProgress === undefined)).toBe(true);
      expect((await discovery.leaderboard(player, {})).items).toEqual([{ userId: 'player', displayName: 'Player One', points: 50 }]);

      const stranger = tenantContext();
      expect(await codeOf(discovery.startQuest(stranger, { questId: quest.questId }))).toBe('NOT_FOUND');
      expect(await codeOf(discovery.getQuestProgress(stranger, { questId: quest.questId }))).toBe('NOT_FOUND');
      expect(await codeOf(discovery.completeQuestStep(stranger, { questId: quest.questId, stepId: 'step-1' }))).toBe('NOT_FOUND');
      expect((await discovery.listQuests(stranger, {})).items).toEqual([]);
      expect((await discovery.leaderboard(stranger, {})).items).toEqual([]);
    });

    it('awards a quest exactly once when its last steps are completed in parallel', async () => {
      const owner = tenantContext();
      const steps = Array.from({ length: 5 }, (_, i) => ({ stepId: `s${i}`, title: `Step ${i}` }));
      const quest = await discovery.createQuest(owner, { title: 'Race', steps, rewardPoints: 100 });
      const other = await discovery.createQuest(owner, { title: 'Other', steps: [{ title: 'only' }], rewardPoints: 7 });
      const player = user(owner.tenantId, 'racer');
      await discovery.startQuest(player, { questId: quest.questId });
      await discovery.startQuest(player, { questId: other.questId });
      // Every step twice, and the other quest's step, all at once.
      const results = await Promise.all([
        ...[...steps, ...steps].map(({ stepId }) => discovery.completeQuestStep(player, { questId: quest.questId, stepId })),
        discovery.completeQuestStep(player, { questId: other.questId, stepId: 'step-1' }),
      ]);
      expect(results.filter((p) => p.questId === quest.questId && p.status === 'completed').length).toBeGreaterThan(0);
      const progress = await discovery.getQuestProgress(player, { questId: quest.questId });
      expect(progress).toMatchObject({ status: 'completed', pointsAwarded: 100, version: 6 });
      expect([...progress.completedSteps].sort()).toEqual(steps.map((s) => s.stepId));
      expect((await discovery.leaderboard(player, {})).items).toEqual([{ userId: 'racer', displayName: 'User racer', points: 107 }]);
    });

    it("ranks the tenant's users by points, page by page", async () => {
      const owner = tenantContext();
      const quests = await Promise.all(
        [10, 30, 20].map((rewardPoints, i) => discovery.createQuest(owner, { title: `Q${i}`, steps: [{ title: 'go' }], rewardPoints })),
      );
      const finish = async (player: CallContext, index: number) => {
        await discovery.startQuest(player, { questId: quests[index]!.questId });
        await discovery.completeQuestStep(player, { questId: quests[index]!.questId, stepId: 'step-1' });
      };
      const [ann, bob, cy] = ['ann', 'bob', 'cy'].map((name) => user(owner.tenantId, name));
      await finish(ann!, 0);
      await finish(bob!, 1);
      await finish(cy!, 2);
      await finish(ann!, 2);
      const first = await discovery.leaderboard(ann!, { limit: 2 });
      expect(first.items).toEqual([
        { userId: 'ann', displayName: 'User ann', points: 30 },
        { userId: 'bob', displayName: 'User bob', points: 30 },
      ]);
      const second = await discovery.leaderboard(ann!, { limit: 2, cursor: first.nextCursor });
      expect(second.items).toEqual([{ userId: 'cy', displayName: 'User cy', points: 20 }]);
      expect(second.nextCursor).toBeUndefined();
    });
  });
}
