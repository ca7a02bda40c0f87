// Removing a tenant, written once and run over both tables (test/contract/tenant-removal.test.ts): two
// tenants with data in every service (the local platform's seeds plus what they leave out: a verified
// domain, an archived app's listing, a custom role, an app key, quest points, follows, usage) and
// references across them (pledges and ratings both ways, a name one verified and the other waits on).
// One is removed in batches of 3; the raw tables (every item, keys included) must then hold nothing it
// owned, and the other's items exactly as before.
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { SERVICE_NAMES, type ServiceName } from '#connectors/contracts/registry';
import { PURGE_PURPOSE } from '#connectors/contracts/tenant-purge';
import { systemContext, type CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { REMOVAL_ORDER, removeTenant } from '#functions/execute/plugins/tenant-removal';
import { createInProcessConnectors } from '#functions/services/in-process';
import { memoryTableItems } from '#functions/shared/memory-table';
import type { Table } from '#functions/shared/table';
import { seedCommunity } from '#local/seed-community';
import { seedDiscovery } from '#local/seed-discovery';
import { DEMO_INVESTOR, seedFunding } from '#local/seed-funding';
import { seedGrowth } from '#local/seed-growth';
import { seedSocial } from '#local/seed-social';
import { codeOf, newTenant, tableOf, type TableKind } from './contract-kit.ts';
import { localDocumentClient } from './local-dynamo.ts';

type Item = Record<string, unknown>;
type Raw = Record<ServiceName, Item[]>;

interface Seeded {
  owner: CallContext;
  member: CallContext;
  appIds: string[];
  roundId: string;
}

/** A platform over fresh tables of `kind` (memory) or the run's DynamoDB Local tables, and a raw view of them. */
async function platformOn(kind: TableKind) {
  const tables = Object.fromEntries(SERVICE_NAMES.map((name) => [name, tableOf(kind, name)])) as Record<ServiceName, Table>;
  const dns = new Map<string, string[]>();
  const connectors = await createInProcessConnectors({
    table: (name) => tables[name],
    settings: { PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: 'http://localhost/checkout', TLS_CERTIFICATES: 'immediate' },
    adapters: { hosting: { dns: { resolveTxt: async (name: string) => dns.get(name) ?? [] } } },
  });

  async function scan(name: ServiceName): Promise<Item[]> {
    if (kind === 'memory') return memoryTableItems(tables[name]);
    const db = localDocumentClient();
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: inject('tables')[name]!, ConsistentRead: true, ...(start && { ExclusiveStartKey: start }) }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
  /** Every item of every table, keys included. */
  const raw = async (): Promise<Raw> => Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await scan(name)]))) as Raw;

  /** A tenant as `npm start` seeds "demo", and more. */
  async function seedTenant(tenantId: string): Promise<Seeded> {
    const { hosting, identity, billing, discovery, social, funding } = connectors;
    const owner: CallContext = { tenantId, userId: 'owner-1', roles: ['owner'], correlationId: randomUUID(), displayName: 'Owner One' };
    const member: CallContext = { tenantId, userId: 'member-1', roles: ['member'], correlationId: randomUUID(), displayName: 'Member One' };
    await identity.resolveUser(owner, { username: 'owner-1', email: 'owner@example.com', displayName: 'Owner One', tokenRoles: ['owner'] });
    await identity.resolveUser(member, { username: 'member-1', email: 'member@example.com', displayName: 'Member One', tokenRoles: ['member'] });
    await identity.upsertRole(owner, { name: 'finance', permissions: ['read:billing'] });
    await identity.createAppKey(owner, { name: 'runtime' });
    const { sessionId } = await billing.createCheckout(owner, { plan: 'business', successUrl: 'http://localhost/done', cancelUrl: 'http://localhost/canceled' });
    await billing.completeCheckout(owner, { sessionId });
    await billing.recordUsage(systemContext(tenantId, 'metering', 'seed'), { metric: 'api_calls', amount: 7 });

    // An archived app that kept its listing: removal must find it too. First, so the seeds' newest app is the demo app (Hosting lists it only when asked).
    const old = await hosting.createApp(owner, { name: 'Old tool', slug: 'old' });
    await discovery.publishListing(owner, { appId: old.appId, name: 'Old tool', tagline: 'Retired', category: 'tools', tags: ['legacy'] });
    await hosting.deleteApp(owner, { appId: old.appId });
    const demo = await hosting.createApp(owner, { name: 'Demo app', slug: 'demo', description: 'Seeded' });
    await hosting.createDeployment(owner, { appId: demo.appId });
    const verified = await hosting.addDomain(owner, { appId: demo.appId, domain: `${tenantId}.example.com` });
    dns.set(verified.verificationRecord.name, [verified.verificationRecord.value]);
    await hosting.verifyDomain(owner, { appId: demo.appId, domain: verified.domain });
    await hosting.addDomain(owner, { appId: demo.appId, domain: `www.${tenantId}.example.com` });

    for (const seed of [seedDiscovery, seedSocial, seedCommunity, seedGrowth, seedFunding]) await seed(connectors, owner);
    const quest = (await discovery.listQuests(owner, { limit: 1 })).items[0]!;
    await discovery.startQuest(member, { questId: quest.questId });
    for (const { stepId } of quest.steps) await discovery.completeQuestStep(member, { questId: quest.questId, stepId });
    await social.follow(member, { userId: owner.userId });
    const round = (await funding.listRounds(owner, { limit: 1 })).items[0]!;
    return { owner, member, appIds: [demo.appId, old.appId], roundId: round.roundId };
  }

  /**
   * References both ways: each tenant's member pledges to the other's round and rates the other's listing;
   * both attach one name, which B verifies (its claim) while A's stays pending.
   */
  async function crossReference(a: Seeded, b: Seeded): Promise<void> {
    const shared = `shared-${b.owner.tenantId}.example.com`;
    const theirs = await connectors.hosting.addDomain(b.owner, { appId: b.appIds[0]!, domain: shared });
    await connectors.hosting.addDomain(a.owner, { appId: a.appIds[0]!, domain: shared });
    dns.set(theirs.verificationRecord.name, [theirs.verificationRecord.value]);
    expect((await connectors.hosting.verifyDomain(b.owner, { appId: b.appIds[0]!, domain: shared })).status).toBe('verified');
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      await connectors.funding.pledge(from.member, { roundId: to.roundId, amountCents: 20_000 });
      await connectors.discovery.rateListing(from.member, { appId: to.appIds[0]!, stars: 4 });
    }
  }

  return { connectors, raw, seedTenant, crossReference, dns };
}

/** Whose an item is: its partition's tenant, or for a platform-wide item the tenant it names or whose app it is about. */
function ownerOf(item: Item, appOwners: ReadonlyMap<string, string>): string | undefined {
  const pk = item.pk as string;
  if (pk.startsWith('T#')) return pk.slice(2);
  if (pk.startsWith('DOMAIN#') || pk.startsWith('ROUNDREF#')) return item.tenantId as string;
  if (pk.startsWith('DISC#L#')) return appOwners.get(pk.slice('DISC#L#'.length));
  if (pk.startsWith('DISC#')) return appOwners.get(item.appId as string);
  return undefined;
}

const byKey = (a: Item, b: Item) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`);
/** The items of `raw` whose owner passes `which`, per service, in key order. */
const owned = (raw: Raw, appOwners: ReadonlyMap<string, string>, which: (owner: string | undefined) => boolean) =>
  Object.fromEntries(SERVICE_NAMES.map((name) => [name, raw[name].filter((item) => which(ownerOf(item, appOwners))).sort(byKey)])) as Raw;
const count = (raw: Raw) => SERVICE_NAMES.reduce((sum, name) => sum + raw[name].length, 0);
/** Items that mention any of `marks` anywhere (keys or attributes). */
const mentioning = (raw: Raw, marks: readonly string[]) =>
  SERVICE_NAMES.flatMap((name) => raw[name].filter((item) => marks.some((mark) => JSON.stringify(item).includes(mark))).map((item) => ({ service: name, item })));

export function describeTenantRemoval(kind: TableKind): void {
  describe(`removing a tenant: ${kind} tables`, () => {
    /** Two seeded tenants with references both ways, and who owns which app. */
    async function twoTenants() {
      const platform = await platformOn(kind);
      const [a, b] = [await platform.seedTenant(newTenant()), await platform.seedTenant(newTenant())];
      await platform.crossReference(a, b);
      const appOwners = new Map([...a.appIds.map((id) => [id, a.owner.tenantId] as const), ...b.appIds.map((id) => [id, b.owner.tenantId] as const)]);
      return { ...platform, a, b, appOwners };
    }

    it('deletes every item the tenant owns, in batches of 3, and leaves every other item exactly as it was', { timeout: 120_000 }, async () => {
      const { connectors, raw, a, b, appOwners } = await twoTenants();
      const A = a.owner.tenantId;
      const others = (owner: string | undefined) => owner === b.owner.tenantId || owner === DEMO_INVESTOR.tenantId;
      const before = await raw();
      const mine = owned(before, appOwners, (owner) => owner === A);
      const theirs = owned(before, appOwners, others);
      // Something of A in every service, and outside its partitions: a domain claim, listings and their index, a round reference.
      for (const name of SERVICE_NAMES) expect(mine[name].length, name).toBeGreaterThan(0);
      expect(mine.hosting.some((item) => (item.pk as string).startsWith('DOMAIN#'))).toBe(true);
      expect(mine.discovery.filter((item) => (item.pk as string).startsWith('DISC#')).length).toBeGreaterThan(20);
      expect(mine.funding.some((item) => (item.pk as string).startsWith('ROUNDREF#'))).toBe(true);

      const calls: { service: ServiceName; removed: number }[] = [];
      const report = await removeTenant(connectors, A, { limit: 3, onCall: (service, { removed }) => calls.push({ service, removed }) });

      expect(report.done).toBe(true);
      expect(Math.max(...calls.map((call) => call.removed))).toBeLessThanOrEqual(3);
      // Every item it owned is counted once, per service, and the services went in order (Identity last).
      expect(report.removed).toEqual(Object.fromEntries(SERVICE_NAMES.map((name) => [name, mine[name].length])));
      expect(calls.filter((call) => call.removed > 0).map((call) => call.service)).toEqual(
        REMOVAL_ORDER.flatMap((name) => calls.filter((call) => call.service === name && call.removed > 0).map(() => name)),
      );
      // The last pass found nothing: one call per service.
      expect(calls.slice(-SERVICE_NAMES.length).every((call) => call.removed === 0)).toBe(true);

      const after = await raw();
      expect(count(owned(after, appOwners, (owner) => owner === A))).toBe(0);
      expect(owned(after, appOwners, others)).toEqual(theirs);
      // What still names A is the other tenants' own record of what A's users did there, unchanged (README "Removing a tenant").
      const traces = mentioning(after, [A, ...a.appIds, a.roundId]);
      expect(traces.map(({ service, item }) => `${service} ${(item.sk as string).split('#')[0]}`).sort()).toEqual([
        'discovery RATING', // A's member's rating of B's listing, in B's listing
        'funding PLEDGE', // A's member's pledge to B's round, under B
        'funding POS', // B's member's position in A's (gone) round, under B
        'funding POS', // the seeds' demo investor's position in A's round, under its own tenant
      ]);
      for (const { item } of traces) expect(others(ownerOf(item, appOwners))).toBe(true);

      // Again: nothing to do, one call per service.
      const again = await removeTenant(connectors, A, { limit: 3 });
      expect(again).toEqual({ removed: Object.fromEntries(REMOVAL_ORDER.map((name) => [name, 0])), done: true, calls: SERVICE_NAMES.length });
      console.info(`[tenant removal, ${kind}] ${count(mine)} items of the tenant in ${calls.length} calls of at most 3; ${count(theirs)} items of others untouched`);
    });

    it('stops when its time is up and finishes from the tables alone when started again', { timeout: 120_000 }, async () => {
      const { connectors, raw, a, b, appOwners } = await twoTenants();
      const A = a.owner.tenantId;
      const before = await raw();
      const mine = count(owned(before, appOwners, (owner) => owner === A));
      const theirs = owned(before, appOwners, (owner) => owner === b.owner.tenantId);
      // A clock that moves one tick per look: the budget is a number of calls.
      let ticks = 0;
      const first = await removeTenant(connectors, A, { limit: 5, budgetMs: 30, now: () => ticks++ });
      expect(first.done).toBe(false);
      const part = REMOVAL_ORDER.reduce((sum, name) => sum + first.removed[name], 0);
      expect(part).toBeGreaterThan(0);
      expect(part).toBeLessThan(mine);
      const rest = await removeTenant(connectors, A, { limit: 5 });
      expect(rest.done).toBe(true);
      expect(part + REMOVAL_ORDER.reduce((sum, name) => sum + rest.removed[name], 0)).toBe(mine);
      const after = await raw();
      expect(count(owned(after, appOwners, (owner) => owner === A))).toBe(0);
      expect(owned(after, appOwners, (owner) => owner === b.owner.tenantId)).toEqual(theirs);
    });

    it("keeps Identity's owners and their count until everything else of the tenant is gone", { timeout: 120_000 }, async () => {
      const { connectors, raw, a } = await twoTenants();
      const pk = `T#${a.owner.tenantId}`;
      const purge = systemContext(a.owner.tenantId, PURGE_PURPOSE, randomUUID());
      const identityItems = async () => (await raw()).identity.filter((item) => item.pk === pk).map((item) => item.sk as string);
      const held = ['OWNERS', `USER#${a.owner.userId}`];
      let left = await identityItems();
      expect(left).toEqual(expect.arrayContaining([...held, `USER#${a.member.userId}`, 'ROLE#finance']));
      let calls = 0;
      for (let done = false; !done; calls++) {
        ({ done } = await connectors.identity.purgeTenant(purge, { limit: 2 }));
        left = await identityItems();
        // While anything else is left, the owner and the owner count are too.
        if (left.some((sk) => !held.includes(sk))) expect(left).toEqual(expect.arrayContaining(held));
      }
      expect(left).toEqual([]);
      expect(calls).toBeGreaterThan(2);
    });

    it('answers purgeTenant only to the removal context, and removes only outside items that name the tenant', { timeout: 120_000 }, async () => {
      const { connectors, raw, a, b, appOwners } = await twoTenants();
      const A = a.owner.tenantId;
      const purge = systemContext(A, PURGE_PURPOSE, randomUUID());
      // A person (even one whose id looks like the platform's), an app key, or another system purpose: refused, nothing deleted.
      for (const ctx of [a.owner, { ...a.owner, userId: purge.userId }, { ...a.owner, userId: 'app:key_1', roles: ['app'] }, systemContext(A, 'metering', 'x')]) {
        for (const service of SERVICE_NAMES) expect(await codeOf(connectors[service].purgeTenant(ctx, {})), `${service} ${ctx.userId}`).toBe('FORBIDDEN');
      }
      expect(await codeOf(connectors.hosting.purgeTenant(purge, { cursor: 'not-a-cursor' }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(connectors.hosting.purgeTenant(purge, { limit: 1000 }))).toBe('VALIDATION_FAILED');
      const before = await raw();
      expect(count(owned(before, appOwners, (owner) => owner === A))).toBeGreaterThan(0);

      // Discovery told B's app ids while removing A: B's listings stay; A's quests go, its listings (not named) stay.
      let result;
      do result = await connectors.discovery.purgeTenant(purge, { limit: 10, appIds: b.appIds, cursor: result?.cursor });
      while (!result.done);
      const after = await raw();
      expect(owned(after, appOwners, (owner) => owner === b.owner.tenantId)).toEqual(owned(before, appOwners, (owner) => owner === b.owner.tenantId));
      expect(after.discovery.filter((item) => item.pk === `T#${A}`)).toEqual([]);
      expect(after.discovery.filter((item) => item.pk === `DISC#L#${a.appIds[0]}` && item.sk === 'LISTING')).toHaveLength(1);
    });
  });
}
