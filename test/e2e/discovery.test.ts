// Discovery over HTTP against `npm start` (managed mode: the real services on DynamoDB Local).
// One `it` per Discovery promise of issue 8; fresh tenant ids per test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { okData, usePlatform } from '../support/platform-process.ts';

const DISCOVERY = 'moz.platform.discovery';
const HOSTING = 'moz.platform.hosting';
const ADMIN = 'moz.platform.admin';

const fresh = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
/** A word of letters only, unique to the test, so platform-wide searches see only this test's listings. */
const word = () => `q${randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}z`;

describe('discovery: marketplace and quests over HTTP (managed)', () => {
  const platform = usePlatform();

  const as = async (tenantId: string, sub: string, roles: string[] = []) => ({ token: await platform.token(tenantId, roles, sub) });
  const call = (who: { token: string }, body: Record<string, unknown>) => platform.execute(who, DISCOVERY, body);
  const ok = okData;
  const appOf = async (owner: { token: string }) =>
    (await ok(platform.execute(owner, HOSTING, { action: 'create_app', name: 'Listed app', slug: fresh('app') }))).appId as string;
  const ids = (page: { items: { appId: string }[] }) => page.items.map((item) => item.appId);

  it("lets a tenant owner publish its own app, update and unpublish it; another tenant's app is 404, a member 403", async () => {
    const tenant = fresh('disc-pub');
    const owner = await as(tenant, 'olga', ['owner']);
    const member = await as(tenant, 'mel', ['member']);
    const appId = await appOf(owner);
    const w = word();
    const listing = await ok(
      call(owner, { action: 'publish_listing', appId, name: `Shop ${w}`, tagline: 'Sell things', category: 'commerce', tags: ['shop'], logoUrl: 'https://cdn.example.com/l.png' }),
    );
    expect(listing).toMatchObject({ appId, tenantId: tenant, name: `Shop ${w}`, category: 'commerce', ratingAvg: 0, ratingCount: 0 });

    const updated = await ok(call(owner, { action: 'publish_listing', appId, name: `Store ${w}`, category: 'commerce' }));
    expect(updated).toMatchObject({ name: `Store ${w}`, publishedAt: listing.publishedAt, tags: [] });
    expect(await ok(call(member, { action: 'get_listing', appId }))).toEqual(updated);

    const refused = await call(member, { action: 'publish_listing', appId, name: 'Mine now', category: 'commerce' });
    expect(refused.status).toBe(403);
    expect((await call(member, { action: 'unpublish_listing', appId })).status).toBe(403);

    const rival = await as(fresh('disc-rival'), 'rita', ['owner']);
    expect((await call(rival, { action: 'publish_listing', appId, name: 'Stolen', category: 'commerce' })).status).toBe(404);
    expect((await call(rival, { action: 'unpublish_listing', appId })).status).toBe(404);
    expect((await call(rival, { action: 'publish_listing', appId: 'app_unknown', name: 'Ghost', category: 'commerce' })).status).toBe(404);

    // GET /api/plugins lists what each may do.
    const actionsOf = async (who: { token: string }) => {
      const res = await fetch(`${platform.url}/api/plugins`, { headers: { authorization: `Bearer ${who.token}` } });
      const json = (await res.json()) as { data: { plugins: { name: string; actions: { name: string }[] }[] } };
      return json.data.plugins.find((plugin) => plugin.name === DISCOVERY)!.actions.map((a) => a.name);
    };
    expect(await actionsOf(owner)).toEqual(expect.arrayContaining(['publish_listing', 'unpublish_listing', 'create_quest', 'search_listings']));
    const memberActions = await actionsOf(member);
    expect(memberActions).toEqual(expect.arrayContaining(['search_listings', 'rate_listing', 'start_quest', 'leaderboard']));
    expect(memberActions).not.toContain('publish_listing');

    expect(await ok(call(owner, { action: 'unpublish_listing', appId }))).toEqual({ appId, unpublished: true });
    expect((await call(member, { action: 'get_listing', appId })).status).toBe(404);
    expect((await ok(call(rival, { action: 'search_listings', q: w }))).items).toEqual([]);
  });

  it('lets anyone signed in search all published listings by words, category and tag, sorted and paginated, public fields only', async () => {
    const w = word();
    const category = fresh('cat');
    const published: string[] = [];
    for (let i = 0; i < 3; i++) {
      const tenant = fresh(`disc-s${i}`);
      const owner = await as(tenant, 'owner', ['owner']);
      const appId = await appOf(owner);
      await ok(
        call(owner, {
          action: 'publish_listing',
          appId,
          name: `${w} ${['Photo Studio', 'Photo Share', 'Budget Book'][i]}`,
          tagline: ['Edit pictures', 'Share pictures', 'Track money'][i],
          category: i < 2 ? category : 'finance',
          tags: i === 1 ? ['social'] : ['tools'],
        }),
      );
      published.push(appId);
    }
    const searcher = await as(fresh('disc-searcher'), 'sam', ['member']);
    const search = (input: Record<string, unknown>) => ok(call(searcher, { action: 'search_listings', ...input }));

    expect(ids(await search({ q: w.toUpperCase() }))).toEqual([published[2], published[1], published[0]]);
    expect(ids(await search({ q: `${w} PHO` }))).toEqual([published[1], published[0]]);
    expect(ids(await search({ q: `${w} pict`, tag: 'social' }))).toEqual([published[1]]);
    expect(ids(await search({ category }))).toEqual([published[1], published[0]]);
    expect(ids(await search({ q: w, category: 'finance' }))).toEqual([published[2]]);

    const first = await search({ q: w, sort: 'newest', limit: 2 });
    const second = await search({ q: w, sort: 'newest', limit: 2, cursor: first.nextCursor });
    expect([...ids(first), ...ids(second)]).toEqual([published[2], published[1], published[0]]);
    expect(second.nextCursor).toBeUndefined();

    // Rated listings come first in the rating order.
    await ok(call(searcher, { action: 'rate_listing', appId: published[0], stars: 5 }));
    expect(ids(await search({ q: w, sort: 'rating' }))[0]).toBe(published[0]);

    const card = first.items[0];
    expect(Object.keys(card).sort()).toEqual(['appId', 'category', 'description', 'publishedAt', 'ratingAvg', 'ratingCount', 'name', 'tagline', 'tags', 'tenantId'].sort());
    const bad = await call(searcher, { action: 'search_listings', sort: 'popular' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.error.details.issues)).toContain('sort');
  });

  it('rates 1..5 (else 400), replaces a rating on re-rating, and keeps the count and average exact under parallel ratings', async () => {
    const owner = await as(fresh('disc-rate'), 'olga', ['owner']);
    const appId = await appOf(owner);
    await ok(call(owner, { action: 'publish_listing', appId, name: 'Rated app', category: 'tools' }));
    for (const stars of [0, 6, 4.5, '5']) {
      const res = await call(owner, { action: 'rate_listing', appId, stars });
      expect(res.status).toBe(400);
      expect(res.json.error.details.issues[0].field).toBe('stars');
    }
    expect(await ok(call(owner, { action: 'rate_listing', appId, stars: 1 }))).toMatchObject({ ratingAvg: 1, ratingCount: 1 });
    expect(await ok(call(owner, { action: 'rate_listing', appId, stars: 3 }))).toMatchObject({ ratingAvg: 3, ratingCount: 1 });

    const raters = await Promise.all(Array.from({ length: 12 }, (_, i) => as(fresh('disc-rater'), `r${i}`, ['member'])));
    const results = await Promise.all(raters.map((rater, i) => call(rater, { action: 'rate_listing', appId, stars: (i % 5) + 1 })));
    expect(results.map((r) => r.status)).toEqual(raters.map(() => 200));
    const sum = 3 + raters.reduce((total, _, i) => total + (i % 5) + 1, 0);
    expect(await ok(call(owner, { action: 'get_listing', appId }))).toMatchObject({ ratingCount: 13, ratingAvg: Math.round((sum / 13) * 100) / 100 });
  });

  it('lets a tenant define quests its users start and complete, awarding points once even for parallel last steps, with a leaderboard', async () => {
    const tenant = fresh('disc-quest');
    const owner = await as(tenant, 'olga', ['owner']);
    const player = await as(tenant, 'pat', ['member']);
    const quest = await ok(
      call(owner, { action: 'create_quest', title: 'Onboarding', description: 'Get going', steps: [{ title: 'A' }, { title: 'B' }, { title: 'C' }], rewardPoints: 40 }),
    );
    expect((await call(player, { action: 'create_quest', title: 'Mine', steps: [{ title: 'x' }], rewardPoints: 1 })).status).toBe(403);
    expect((await ok(call(player, { action: 'list_quests' }))).items.map((q: { questId: string }) => q.questId)).toEqual([quest.questId]);

    await ok(call(player, { action: 'start_quest', questId: quest.questId }));
    const one = await ok(call(player, { action: 'complete_quest_step', questId: quest.questId, stepId: 'step-1' }));
    expect(await ok(call(player, { action: 'complete_quest_step', questId: quest.questId, stepId: 'step-1' }))).toEqual(one);
    // The last two steps, each twice, at once.
    await Promise.all(
      ['step-2', 'step-3', 'step-2', 'step-3'].map((stepId) => ok(call(player, { action: 'complete_quest_step', questId: quest.questId, stepId }))),
    );
    expect(await ok(call(player, { action: 'get_quest_progress', questId: quest.questId }))).toMatchObject({ status: 'completed', pointsAwarded: 40, version: 4 });

    const small = await ok(call(owner, { action: 'create_quest', title: 'Warm-up', steps: [{ title: 'Wave' }], rewardPoints: 10 }));
    await ok(call(owner, { action: 'start_quest', questId: small.questId }));
    await ok(call(owner, { action: 'complete_quest_step', questId: small.questId, stepId: 'step-1' }));
    // Names as Identity knows them, stored with the points.
    const name = async (who: { token: string }) => (await ok(platform.execute(who, ADMIN, { action: 'get_user' }))).displayName;
    const first = await ok(call(player, { action: 'leaderboard', limit: 1 }));
    expect(first.items).toEqual([{ userId: 'pat', displayName: await name(player), points: 40 }]);
    const second = await ok(call(player, { action: 'leaderboard', limit: 1, cursor: first.nextCursor }));
    expect(second.items).toEqual([{ userId: 'olga', displayName: await name(owner), points: 10 }]);
    expect(second.nextCursor).toBeUndefined();

    const stranger = await as(fresh('disc-other'), 'sue', ['owner']);
    expect((await call(stranger, { action: 'start_quest', questId: quest.questId })).status).toBe(404);
    expect((await ok(call(stranger, { action: 'leaderboard' }))).items).toEqual([]);
  });
});
