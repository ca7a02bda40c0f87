// Hosting's domain rules: apps and their lifecycle, deployments, custom domains.
// Each operation reads, decides with lifecycle.ts, and writes through the store under a condition,
// so a concurrent change makes the write fail (CONFLICT) instead of silently winning.
import { randomBytes } from 'node:crypto';
import type { App, Deployment, Domain, HostingContract } from '#connectors/contracts/hosting';
import { conflict, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { allowedActions, assertAllows, assertDeploymentTransition, assertTransition, isPipelineAdvance, isTerminal } from './lifecycle.ts';
import { newId } from './keys.ts';
import type { AppRecord, CountChange, HostingStore } from './store.ts';

export const ARCHIVE_RETENTION_DAYS = 30;
export const VERIFICATION_PREFIX = '_mozaiks-challenge';

/** Looks up TXT records (real DNS on AWS, a file or a double locally and in tests). */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[]>;
}

/** Issues the TLS certificate of a verified domain. */
export interface CertificateIssuer {
  request(domain: string): Promise<Domain['tls']>;
}

export interface HostingDeps {
  store: HostingStore;
  dns: TxtResolver;
  certificates: CertificateIssuer;
  now?: () => Date;
}


const toApp = ({ previousStatus: _previous, ...app }: AppRecord): App => app;

export function createHostingOperations({ store, dns, certificates, now = () => new Date() }: HostingDeps): OperationsOf<HostingContract> {
  /** An app of the caller's tenant that still exists (archived ones until their hard-delete time). */
  async function loadApp(ctx: CallContext, appId: string): Promise<AppRecord> {
    const app = await store.getApp(ctx.tenantId, appId);
    if (!app || (app.hardDeleteAt && app.hardDeleteAt <= now().toISOString())) throw notFound('App');
    return app;
  }

  async function saveApp(ctx: CallContext, app: AppRecord, changes: Partial<AppRecord>, counted?: CountChange): Promise<App> {
    const next: AppRecord = { ...app, ...changes, updatedAt: now().toISOString(), version: app.version + 1 };
    await store.updateApp(ctx.tenantId, next, app.version, counted);
    return toApp(next);
  }

  function checkVersion(app: AppRecord, expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && expectedVersion !== app.version) {
      throw conflict(`The app is at version ${app.version}, not ${expectedVersion}; read it again and retry`);
    }
  }

  async function loadDomain(ctx: CallContext, appId: string, name: string): Promise<Domain> {
    await loadApp(ctx, appId);
    const domain = await store.getDomain(ctx.tenantId, appId, name);
    if (!domain) throw notFound('Domain');
    return domain;
  }

  return {
    async listApps(ctx, { limit, cursor, status }) {
      const page = await store.listApps(ctx.tenantId, { limit, cursor });
      // Archived apps are listed only when asked for, like a recycle bin.
      const items = page.items.filter((app) => (status ? app.status === status : app.status !== 'archived')).map(toApp);
      return { items, nextCursor: page.nextCursor };
    },

    async getApp(ctx, { appId }) {
      return toApp(await loadApp(ctx, appId));
    },

    async createApp(ctx, { name, slug, description, maxApps }) {
      const at = now();
      const app: AppRecord = {
        appId: newId('app', at),
        name,
        slug,
        description,
        status: 'draft',
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        version: 1,
      };
      await store.createApp(ctx.tenantId, app, maxApps);
      return toApp(app);
    },

    async updateApp(ctx, { appId, expectedVersion, name, description }) {
      const app = await loadApp(ctx, appId);
      checkVersion(app, expectedVersion);
      assertAllows(app, 'update_app');
      return saveApp(ctx, app, { ...(name !== undefined && { name }), ...(description !== undefined && { description }) });
    },

    async pauseApp(ctx, { appId, expectedVersion }) {
      const app = await loadApp(ctx, appId);
      checkVersion(app, expectedVersion);
      assertAllows(app, 'pause_app');
      return saveApp(ctx, app, { status: 'paused' });
    },

    async resumeApp(ctx, { appId, expectedVersion }) {
      const app = await loadApp(ctx, appId);
      checkVersion(app, expectedVersion);
      assertAllows(app, 'resume_app');
      return saveApp(ctx, app, { status: 'live' });
    },

    async deleteApp(ctx, { appId, expectedVersion }) {
      const app = await loadApp(ctx, appId);
      checkVersion(app, expectedVersion);
      assertAllows(app, 'delete_app');
      const hardDeleteAt = new Date(now().getTime() + ARCHIVE_RETENTION_DAYS * 86_400_000).toISOString();
      // Archived apps stop counting against the plan's app limit; restoring counts them again.
      return saveApp(ctx, app, { status: 'archived', previousStatus: app.status, hardDeleteAt }, { delta: -1 });
    },

    async restoreApp(ctx, { appId, maxApps }) {
      const app = await loadApp(ctx, appId);
      assertAllows(app, 'restore_app');
      const status = app.previousStatus ?? 'draft';
      assertTransition(app.status, status);
      return saveApp(ctx, app, { status, previousStatus: undefined, hardDeleteAt: undefined }, { delta: 1, max: maxApps });
    },

    async getLifecycle(ctx, { appId }) {
      const app = await loadApp(ctx, appId);
      return { appId, status: app.status, allowedActions: allowedActions(app), ...(app.hardDeleteAt && { hardDeleteAt: app.hardDeleteAt }) };
    },

    async createDeployment(ctx, { appId, sourceRef, trigger }) {
      const app = await loadApp(ctx, appId);
      assertAllows(app, 'deploy');
      const at = now();
      const deployment: Deployment = {
        deploymentId: newId('dep', at),
        appId,
        status: 'queued',
        trigger,
        requestedBy: ctx.userId,
        sourceRef,
        createdAt: at.toISOString(),
      };
      const status = app.status === 'draft' ? 'building' : app.status;
      const next: AppRecord = { ...app, status, activeDeploymentId: deployment.deploymentId, updatedAt: at.toISOString(), version: app.version + 1 };
      await store.createDeployment(ctx.tenantId, deployment, next, app.version);
      return deployment;
    },

    async listDeployments(ctx, { appId, limit, cursor }) {
      await loadApp(ctx, appId);
      return store.listDeployments(ctx.tenantId, appId, { limit, cursor });
    },

    async getDeployment(ctx, { appId, deploymentId }) {
      await loadApp(ctx, appId);
      const deployment = await store.getDeployment(ctx.tenantId, appId, deploymentId);
      if (!deployment) throw notFound('Deployment');
      return deployment;
    },

    async reportDeploymentStatus(ctx, { appId, deploymentId, status, stage, url, error }) {
      const app = await loadApp(ctx, appId);
      const current = await store.getDeployment(ctx.tenantId, appId, deploymentId);
      if (!current) throw notFound('Deployment');
      assertDeploymentTransition(current.status, status);
      const at = now().toISOString();
      const deployment: Deployment = {
        ...current,
        status,
        ...(url && { url }),
        ...(error && { error }),
        ...(!current.startedAt && { startedAt: at }),
        ...(isTerminal(status) && { finishedAt: at }),
      };
      const appChanges: Partial<AppRecord> = {};
      if (status === 'running' && stage && isPipelineAdvance(app.status, stage)) appChanges.status = stage;
      if (isTerminal(status) && app.activeDeploymentId === deploymentId) appChanges.activeDeploymentId = undefined;
      // A success makes the app live; a failure before it was ever live sends it back to draft.
      if (status === 'succeeded' && app.status !== 'archived' && app.status !== 'paused') appChanges.status = 'live';
      if ((status === 'failed' || status === 'canceled') && isPipelineAdvance('draft', app.status)) appChanges.status = 'draft';
      if (appChanges.status && appChanges.status !== app.status) assertTransition(app.status, appChanges.status);
      const nextApp: AppRecord = { ...app, ...appChanges, updatedAt: at, version: app.version + 1 };
      await store.updateDeployment(ctx.tenantId, deployment, current.status, { record: nextApp, expectedVersion: app.version });
      return deployment;
    },

    async addDomain(ctx, { appId, domain: name, maxDomains }) {
      const app = await loadApp(ctx, appId);
      assertAllows(app, 'add_domain');
      const domain: Domain = {
        domain: name,
        appId,
        status: 'pending_verification',
        verificationRecord: { type: 'TXT', name: `${VERIFICATION_PREFIX}.${name}`, value: `mozaiks-verify=${randomBytes(16).toString('hex')}` },
        tls: { status: 'pending' },
        createdAt: now().toISOString(),
      };
      await store.addDomain(ctx.tenantId, domain, maxDomains);
      return domain;
    },

    async verifyDomain(ctx, { appId, domain: name }) {
      const domain = await loadDomain(ctx, appId, name);
      if (domain.status === 'verified' && domain.tls.status === 'active') return domain;
      let next: Domain;
      if (domain.status === 'verified') {
        next = { ...domain, tls: await certificates.request(name) };
      } else {
        const records = await dns.resolveTxt(domain.verificationRecord.name).catch(() => [] as string[]);
        next = records.includes(domain.verificationRecord.value)
          ? { ...domain, status: 'verified', verifiedAt: now().toISOString(), tls: await certificates.request(name) }
          : { ...domain, status: 'failed' };
      }
      // Proving ownership is what claims the name on the whole platform: the first verification wins.
      await store.updateDomain(ctx.tenantId, next, domain.status, { claim: next.status === 'verified' && domain.status !== 'verified' });
      return next;
    },

    async listDomains(ctx, { appId, limit, cursor }) {
      await loadApp(ctx, appId);
      return store.listDomains(ctx.tenantId, appId, { limit, cursor });
    },

    getCounts: (ctx) => store.getCounts(ctx.tenantId),

    async getOverview(ctx, { apps: limit, deploymentsPerApp }) {
      // Archived apps are skipped, so a page may hold fewer than `limit`: the overview shows what is live or on its way.
      const [page, counts] = await Promise.all([store.listApps(ctx.tenantId, { limit }), store.getCounts(ctx.tenantId)]);
      const apps = await Promise.all(
        page.items
          .filter((app) => app.status !== 'archived')
          .map(async (app) => ({ ...toApp(app), recentDeployments: (await store.listDeployments(ctx.tenantId, app.appId, { limit: deploymentsPerApp })).items })),
      );
      return { apps, counts };
    },

    async removeDomain(ctx, { appId, domain: name }) {
      const app = await loadApp(ctx, appId);
      assertAllows(app, 'remove_domain');
      const domain = await store.getDomain(ctx.tenantId, appId, name);
      if (!domain) throw notFound('Domain');
      await store.removeDomain(ctx.tenantId, domain);
      return { removed: true as const, domain: name };
    },
  };
}
