// The Hosting contract, written once and run over both tables (test/contract/hosting.test.ts).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorBundle } from '#connectors/loader';
import { PlatformError } from '#connectors/contracts/wire';
import type { TxtResolver } from '#functions/services/hosting/operations';
import { codeOf, tenantContext } from './contract-kit.ts';

/** Builds a Hosting connector whose TXT lookups go to `dns`. */
export type MakeHostingConnector = (dns: TxtResolver) => Promise<ConnectorBundle['hosting']>;

export function describeHostingContract(name: string, make: MakeHostingConnector): void {
  const records = new Map<string, string[]>();
  let hosting: ConnectorBundle['hosting'];
  beforeAll(async () => {
    hosting = await make({ resolveTxt: async (record) => records.get(record) ?? [] });
  });
  const slug = () => `app-${randomUUID().slice(0, 8)}`;

  describe(`Hosting connector contract: ${name}`, () => {
    it('creates an app in draft and reads it back', async () => {
      const ctx = tenantContext();
      const created = await hosting.createApp(ctx, { name: ' Shop ', slug: 'My-Shop' });
      expect(created).toMatchObject({ name: 'Shop', slug: 'my-shop', status: 'draft', description: '', version: 1 });
      expect(await hosting.getApp(ctx, { appId: created.appId })).toEqual(created);
    });

    it('lists apps newest first, page by page with a cursor', async () => {
      const ctx = tenantContext();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await hosting.createApp(ctx, { name: `A${i}`, slug: `app-${i}-x` })).appId);
      const first = await hosting.listApps(ctx, { limit: 2 });
      expect(first.items.map((a) => a.appId)).toEqual([ids[4], ids[3]]);
      const second = await hosting.listApps(ctx, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((a) => a.appId)).toEqual([ids[2], ids[1]]);
      const third = await hosting.listApps(ctx, { limit: 2, cursor: second.nextCursor });
      expect(third.items.map((a) => a.appId)).toEqual([ids[0]]);
      expect(third.nextCursor).toBeUndefined();
    });

    it('refuses a second app with the same slug in a tenant, but not in another tenant', async () => {
      const ctx = tenantContext();
      await hosting.createApp(ctx, { name: 'A', slug: 'shop' });
      expect(await codeOf(hosting.createApp(ctx, { name: 'B', slug: 'shop' }))).toBe('CONFLICT');
      expect((await hosting.createApp(tenantContext(), { name: 'C', slug: 'shop' })).slug).toBe('shop');
      expect((await hosting.listApps(ctx, {})).items).toHaveLength(1);
    });

    it('lets exactly one of several concurrent creates claim a slug', async () => {
      const ctx = tenantContext();
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => hosting.createApp(ctx, { name: `N${i}`, slug: 'race' })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as PlatformError).code).toBe('CONFLICT');
      expect((await hosting.listApps(ctx, {})).items).toHaveLength(1);
    });

    it("answers NOT_FOUND for another tenant's app and changes nothing", async () => {
      const owner = tenantContext();
      const other = tenantContext();
      const app = await hosting.createApp(owner, { name: 'Mine', slug: slug() });
      expect(await codeOf(hosting.getApp(other, { appId: app.appId }))).toBe('NOT_FOUND');
      expect(await codeOf(hosting.updateApp(other, { appId: app.appId, name: 'Stolen' }))).toBe('NOT_FOUND');
      expect(await codeOf(hosting.deleteApp(other, { appId: app.appId }))).toBe('NOT_FOUND');
      expect(await codeOf(hosting.createDeployment(other, { appId: app.appId }))).toBe('NOT_FOUND');
      expect(await codeOf(hosting.addDomain(other, { appId: app.appId, domain: `${slug()}.example.com` }))).toBe('NOT_FOUND');
      expect((await hosting.listApps(other, {})).items).toEqual([]);
      expect(await hosting.getApp(owner, { appId: app.appId })).toEqual(app);
    });

    it('rejects invalid input naming the field', async () => {
      const ctx = tenantContext();
      const error = await hosting.createApp(ctx, { name: 'X', slug: 'Not a slug!' }).catch((e: PlatformError) => e);
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).code).toBe('VALIDATION_FAILED');
      expect((error as PlatformError).message).toContain('slug');
      expect((await hosting.listApps(ctx, {})).items).toEqual([]);
    });

    it('updates with optimistic versions: a stale expectedVersion is a CONFLICT', async () => {
      const ctx = tenantContext();
      const app = await hosting.createApp(ctx, { name: 'V', slug: slug() });
      const updated = await hosting.updateApp(ctx, { appId: app.appId, name: 'V2', expectedVersion: 1 });
      expect(updated).toMatchObject({ name: 'V2', version: 2 });
      expect(await codeOf(hosting.updateApp(ctx, { appId: app.appId, name: 'V3', expectedVersion: 1 }))).toBe('CONFLICT');
      expect((await hosting.getApp(ctx, { appId: app.appId })).name).toBe('V2');
    });

    it('walks the lifecycle: deploy, stages, live, pause, resume, archive, restore', async () => {
      const app = tenantContext();
      const build = { ...app, roles: ['app'] };
      const { appId } = await hosting.createApp(app, { name: 'L', slug: slug() });
      expect(await codeOf(hosting.pauseApp(app, { appId }))).toBe('CONFLICT');

      const dep = await hosting.createDeployment(app, { appId, sourceRef: 'v1' });
      expect(dep).toMatchObject({ status: 'queued', sourceRef: 'v1', requestedBy: app.userId, trigger: 'manual' });
      expect((await hosting.getApp(app, { appId })).status).toBe('building');
      expect(await codeOf(hosting.createDeployment(app, { appId }))).toBe('CONFLICT');
      expect((await hosting.getLifecycle(app, { appId })).allowedActions).not.toContain('deploy');

      await hosting.reportDeploymentStatus(build, { appId, deploymentId: dep.deploymentId, status: 'running', stage: 'preview' });
      expect((await hosting.getApp(app, { appId })).status).toBe('preview');
      await hosting.reportDeploymentStatus(build, { appId, deploymentId: dep.deploymentId, status: 'running', stage: 'building' });
      expect((await hosting.getApp(app, { appId })).status).toBe('preview');
      const done = await hosting.reportDeploymentStatus(build, { appId, deploymentId: dep.deploymentId, status: 'succeeded', url: 'https://l.example.com' });
      expect(done).toMatchObject({ status: 'succeeded', url: 'https://l.example.com' });
      expect(done.finishedAt).toBeDefined();
      expect(await codeOf(hosting.reportDeploymentStatus(build, { appId, deploymentId: dep.deploymentId, status: 'running' }))).toBe('CONFLICT');

      const live = await hosting.getLifecycle(app, { appId });
      expect(live.status).toBe('live');
      expect(live.allowedActions).toEqual(expect.arrayContaining(['deploy', 'pause_app', 'delete_app']));
      expect((await hosting.pauseApp(app, { appId })).status).toBe('paused');
      expect(await codeOf(hosting.createDeployment(app, { appId }))).toBe('CONFLICT');
      expect((await hosting.resumeApp(app, { appId })).status).toBe('live');

      const archived = await hosting.deleteApp(app, { appId });
      expect(archived.status).toBe('archived');
      expect(Date.parse(archived.hardDeleteAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
      expect((await hosting.listApps(app, {})).items).toEqual([]);
      expect((await hosting.listApps(app, { status: 'archived' })).items.map((a) => a.appId)).toEqual([appId]);
      expect(await codeOf(hosting.updateApp(app, { appId, name: 'no' }))).toBe('CONFLICT');
      const restored = await hosting.restoreApp(app, { appId });
      expect(restored.status).toBe('live');
      expect(restored.hardDeleteAt).toBeUndefined();
    });

    it('sends a first app back to draft when its deployment fails', async () => {
      const ctx = tenantContext();
      const { appId } = await hosting.createApp(ctx, { name: 'F', slug: slug() });
      const dep = await hosting.createDeployment(ctx, { appId });
      await hosting.reportDeploymentStatus(ctx, { appId, deploymentId: dep.deploymentId, status: 'failed', error: 'npm ERR!' });
      expect((await hosting.getApp(ctx, { appId })).status).toBe('draft');
      expect(await hosting.getDeployment(ctx, { appId, deploymentId: dep.deploymentId })).toMatchObject({ status: 'failed', error: 'npm ERR!' });
      const again = await hosting.createDeployment(ctx, { appId });
      const list = await hosting.listDeployments(ctx, { appId });
      expect(list.items.map((d) => d.deploymentId)).toEqual([again.deploymentId, dep.deploymentId]);
    });

    it('lets exactly one of several concurrent deploys queue', async () => {
      const ctx = tenantContext();
      const { appId } = await hosting.createApp(ctx, { name: 'D', slug: slug() });
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => hosting.createDeployment(ctx, { appId })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await hosting.listDeployments(ctx, { appId })).items).toHaveLength(1);
    });

    it('verifies a domain through its TXT record and then reports TLS', async () => {
      const ctx = tenantContext();
      const { appId } = await hosting.createApp(ctx, { name: 'D', slug: slug() });
      const name = `${slug()}.Example.COM`;
      const domain = await hosting.addDomain(ctx, { appId, domain: name });
      expect(domain).toMatchObject({ domain: name.toLowerCase(), status: 'pending_verification', tls: { status: 'pending' } });
      expect(domain.verificationRecord.name).toBe(`_mozaiks-challenge.${name.toLowerCase()}`);

      expect((await hosting.verifyDomain(ctx, { appId, domain: name })).status).toBe('failed');
      records.set(domain.verificationRecord.name, ['unrelated', domain.verificationRecord.value]);
      const verified = await hosting.verifyDomain(ctx, { appId, domain: name });
      expect(verified.status).toBe('verified');
      expect(['issuing', 'active']).toContain(verified.tls.status);
      expect((await hosting.listDomains(ctx, { appId })).items).toEqual([verified]);
    });

    it('lets a pending domain block nobody: the first app to prove ownership claims the name, also under concurrent verifications', async () => {
      const name = `${slug()}.example.org`;
      const tenants = Array.from({ length: 4 }, () => tenantContext());
      const apps = await Promise.all(tenants.map((ctx) => hosting.createApp(ctx, { name: 'X', slug: 'site' })));
      // A squatter's pending claim does not stop anyone else from adding the name.
      const added = await Promise.all(tenants.map((ctx, i) => hosting.addDomain(ctx, { appId: apps[i]!.appId, domain: name })));
      expect(added.map((d) => d.status)).toEqual(Array(4).fill('pending_verification'));
      expect(await codeOf(hosting.addDomain(tenants[0]!, { appId: apps[0]!.appId, domain: name }))).toBe('CONFLICT');

      // Every tenant publishes its record; the first verification wins, the others are told the name is taken.
      for (const domain of added) records.set(domain.verificationRecord.name, [...(records.get(domain.verificationRecord.name) ?? []), domain.verificationRecord.value]);
      const results = await Promise.allSettled(tenants.map((ctx, i) => hosting.verifyDomain(ctx, { appId: apps[i]!.appId, domain: name })));
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' && r.value.status === 'verified' ? [i] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      const loser = winner === 0 ? 1 : 0;
      expect((results[loser] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', details: { field: 'domain' } });
      expect((await hosting.listDomains(tenants[loser]!, { appId: apps[loser]!.appId })).items[0]!.status).toBe('pending_verification');
      // Once verified, the name cannot be added anywhere else.
      const late = tenantContext();
      const lateApp = await hosting.createApp(late, { name: 'L', slug: 'late' });
      expect(await codeOf(hosting.addDomain(late, { appId: lateApp.appId, domain: name }))).toBe('CONFLICT');

      // The loser removes its pending entry (no claim to release); the winner's removal releases the name.
      expect(await hosting.removeDomain(tenants[loser]!, { appId: apps[loser]!.appId, domain: name })).toEqual({ removed: true, domain: name });
      expect(await codeOf(hosting.removeDomain(tenants[loser]!, { appId: apps[loser]!.appId, domain: name }))).toBe('NOT_FOUND');
      expect(await hosting.removeDomain(tenants[winner]!, { appId: apps[winner]!.appId, domain: name })).toEqual({ removed: true, domain: name });
      const other = tenants.findIndex((_, i) => i !== winner && i !== loser);
      expect((await hosting.verifyDomain(tenants[other]!, { appId: apps[other]!.appId, domain: name })).status).toBe('verified');
    });

    it('gives an overview: the newest live apps with their latest deployments, and the counts', async () => {
      const ctx = tenantContext();
      const a = await hosting.createApp(ctx, { name: 'A', slug: slug() });
      const b = await hosting.createApp(ctx, { name: 'B', slug: slug() });
      const gone = await hosting.createApp(ctx, { name: 'Gone', slug: slug() });
      await hosting.deleteApp(ctx, { appId: gone.appId });
      const deployment = await hosting.createDeployment(ctx, { appId: a.appId });
      const overview = await hosting.getOverview(ctx, {});
      expect(overview.counts).toEqual({ apps: 2, domains: 0 });
      expect(overview.apps.map((app) => [app.name, app.recentDeployments.map((d) => d.deploymentId)])).toEqual([
        ['B', []],
        ['A', [deployment.deploymentId]],
      ]);
      expect(overview.apps[0]).toMatchObject({ appId: b.appId, status: 'draft' });
      expect((await hosting.getOverview(tenantContext(), {})).apps).toEqual([]);
    });

    it('lets an archived app remove its domains, releasing a verified name and its place in the count', async () => {
      const ctx = tenantContext();
      const app = await hosting.createApp(ctx, { name: 'A', slug: slug() });
      const name = `${slug()}.example.net`;
      const domain = await hosting.addDomain(ctx, { appId: app.appId, domain: name });
      records.set(domain.verificationRecord.name, [domain.verificationRecord.value]);
      expect((await hosting.verifyDomain(ctx, { appId: app.appId, domain: name })).status).toBe('verified');
      await hosting.deleteApp(ctx, { appId: app.appId });
      expect(await hosting.removeDomain(ctx, { appId: app.appId, domain: name })).toEqual({ removed: true, domain: name });
      expect(await hosting.getCounts(ctx, {})).toEqual({ apps: 0, domains: 0 });
      const elsewhere = tenantContext();
      const next = await hosting.createApp(elsewhere, { name: 'B', slug: slug() });
      expect((await hosting.addDomain(elsewhere, { appId: next.appId, domain: name })).status).toBe('pending_verification');
    });

    it('enforces the app limit it is given, even under concurrent creates, and frees a place on archive', async () => {
      const ctx = tenantContext();
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => hosting.createApp(ctx, { name: `N${i}`, slug: `lim-${i}`, maxApps: 2 })));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as PlatformError);
      expect(refused).toHaveLength(3);
      expect(refused.map((e) => e.code)).toEqual(['FEATURE_NOT_IN_PLAN', 'FEATURE_NOT_IN_PLAN', 'FEATURE_NOT_IN_PLAN']);
      expect(refused[0]!.message).toContain('2 apps');
      expect((await hosting.listApps(ctx, {})).items).toHaveLength(2);
      expect(await hosting.getCounts(ctx, {})).toEqual({ apps: 2, domains: 0 });

      const [first] = (await hosting.listApps(ctx, {})).items;
      await hosting.deleteApp(ctx, { appId: first!.appId });
      const third = await hosting.createApp(ctx, { name: 'Third', slug: 'lim-third', maxApps: 2 });
      expect(await codeOf(hosting.restoreApp(ctx, { appId: first!.appId, maxApps: 2 }))).toBe('FEATURE_NOT_IN_PLAN');
      await hosting.deleteApp(ctx, { appId: third.appId });
      expect((await hosting.restoreApp(ctx, { appId: first!.appId, maxApps: 2 })).status).toBe('draft');
    });

    it('enforces the domain limit it is given, and frees a place on removal', async () => {
      const ctx = tenantContext();
      const { appId } = await hosting.createApp(ctx, { name: 'D', slug: slug() });
      const none = (await hosting.addDomain(ctx, { appId, domain: `${slug()}.example.com`, maxDomains: 0 }).catch((e: unknown) => e)) as PlatformError;
      expect(none.code).toBe('FEATURE_NOT_IN_PLAN');
      const one = await hosting.addDomain(ctx, { appId, domain: `${slug()}.example.com`, maxDomains: 1 });
      expect(await codeOf(hosting.addDomain(ctx, { appId, domain: `${slug()}.example.com`, maxDomains: 1 }))).toBe('FEATURE_NOT_IN_PLAN');
      expect(await hosting.getCounts(ctx, {})).toEqual({ apps: 1, domains: 1 });
      await hosting.removeDomain(ctx, { appId, domain: one.domain });
      expect((await hosting.addDomain(ctx, { appId, domain: `${slug()}.example.com`, maxDomains: 1 })).status).toBe('pending_verification');
    });

    it('rejects a malformed domain name naming the field', async () => {
      const ctx = tenantContext();
      const { appId } = await hosting.createApp(ctx, { name: 'D', slug: slug() });
      const error = (await hosting.addDomain(ctx, { appId, domain: 'not a domain' }).catch((e: unknown) => e)) as PlatformError;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toMatch(/^Invalid input: domain:/);
    });
  });
}
