// In-memory Hosting store for mock mode and unit tests. Each method checks its conditions and writes
// without awaiting in between, so it is atomic on Node's single thread just as a transaction is.
import type { Deployment, Domain } from '#connectors/hosting/contract';
import { conflict } from '#connectors/wire';
import { createMemoryTable } from '#functions/shared/memory-table';
import { APP_PREFIX, appSk, deploymentPrefix, domainPrefix } from './keys.ts';
import { CHANGED_CONCURRENTLY, DOMAIN_ATTACHED, DOMAIN_VERIFIED_ELSEWHERE, SLUG_TAKEN, limitReached, type AppRecord, type CountChange, type HostingStore } from './store.ts';

type Item = AppRecord | Deployment | Domain;

export function createMemoryHostingStore(): HostingStore {
  const { partition, read, write, list } = createMemoryTable<Item>();
  const slugs = new Set<string>();
  const domainClaims = new Map<string, { tenantId: string; appId: string }>();
  const counts = new Map<string, number>();

  /** Checks a count change; returns the commit to run once every other condition holds too. */
  const countChange = (tenantId: string, what: 'apps' | 'domains', change: CountChange | undefined) => {
    const key = `${tenantId}\u0000${what}`;
    const current = counts.get(key) ?? 0;
    if (change && change.delta > 0 && change.max != null && current >= change.max) throw limitReached(what, change.max);
    return () => change && counts.set(key, current + change.delta);
  };

  const versionOf = (tenantId: string, appId: string) => (partition(tenantId).get(appSk(appId)) as AppRecord | undefined)?.version;
  const statusOf = (tenantId: string, sk: string) => (partition(tenantId).get(sk) as Deployment | Domain | undefined)?.status;

  return {
    async getCounts(tenantId) {
      return { apps: counts.get(`${tenantId}\u0000apps`) ?? 0, domains: counts.get(`${tenantId}\u0000domains`) ?? 0 };
    },
    async getApp(tenantId, appId) {
      return read<AppRecord>(tenantId, appSk(appId));
    },
    async listApps(tenantId, page) {
      return list<AppRecord>(tenantId, APP_PREFIX, page, { newestFirst: true });
    },
    async createApp(tenantId, app, maxApps) {
      const slugKey = `${tenantId}\u0000${app.slug}`;
      if (slugs.has(slugKey)) throw conflict(SLUG_TAKEN, { field: 'slug' });
      const commitCount = countChange(tenantId, 'apps', { delta: 1, max: maxApps });
      slugs.add(slugKey);
      write(tenantId, appSk(app.appId), app);
      commitCount();
    },
    async updateApp(tenantId, app, expectedVersion, counted) {
      if (versionOf(tenantId, app.appId) !== expectedVersion) throw conflict(CHANGED_CONCURRENTLY);
      const commitCount = countChange(tenantId, 'apps', counted);
      write(tenantId, appSk(app.appId), app);
      commitCount();
    },

    async getDeployment(tenantId, appId, deploymentId) {
      return read<Deployment>(tenantId, deploymentPrefix(appId) + deploymentId);
    },
    async listDeployments(tenantId, appId, page) {
      return list<Deployment>(tenantId, deploymentPrefix(appId), page, { newestFirst: true });
    },
    async createDeployment(tenantId, deployment, app, expectedAppVersion) {
      if (versionOf(tenantId, app.appId) !== expectedAppVersion) throw conflict(CHANGED_CONCURRENTLY);
      write(tenantId, deploymentPrefix(app.appId) + deployment.deploymentId, deployment);
      write(tenantId, appSk(app.appId), app);
    },
    async updateDeployment(tenantId, deployment, expectedStatus, { record, expectedVersion }) {
      const sk = deploymentPrefix(deployment.appId) + deployment.deploymentId;
      if (statusOf(tenantId, sk) !== expectedStatus || versionOf(tenantId, record.appId) !== expectedVersion) {
        throw conflict(CHANGED_CONCURRENTLY);
      }
      write(tenantId, sk, deployment);
      write(tenantId, appSk(record.appId), record);
    },

    async getDomain(tenantId, appId, domain) {
      return read<Domain>(tenantId, domainPrefix(appId) + domain);
    },
    async listDomains(tenantId, appId, page) {
      return list<Domain>(tenantId, domainPrefix(appId), page, { newestFirst: false });
    },
    async addDomain(tenantId, domain, maxDomains) {
      if (domainClaims.has(domain.domain)) throw conflict(DOMAIN_VERIFIED_ELSEWHERE, { field: 'domain' });
      const sk = domainPrefix(domain.appId) + domain.domain;
      if (partition(tenantId).has(sk)) throw conflict(DOMAIN_ATTACHED, { field: 'domain' });
      const app = partition(tenantId).get(appSk(domain.appId)) as AppRecord | undefined;
      if (!app || app.status === 'archived') throw conflict(CHANGED_CONCURRENTLY);
      const commitCount = countChange(tenantId, 'domains', { delta: 1, max: maxDomains });
      write(tenantId, sk, domain);
      commitCount();
    },
    async updateDomain(tenantId, domain, expectedStatus, { claim = false } = {}) {
      const sk = domainPrefix(domain.appId) + domain.domain;
      if (statusOf(tenantId, sk) !== expectedStatus) throw conflict(CHANGED_CONCURRENTLY);
      if (claim && domainClaims.has(domain.domain)) throw conflict(DOMAIN_VERIFIED_ELSEWHERE, { field: 'domain' });
      if (claim) domainClaims.set(domain.domain, { tenantId, appId: domain.appId });
      write(tenantId, sk, domain);
    },
    async removeDomain(tenantId, domain) {
      const sk = domainPrefix(domain.appId) + domain.domain;
      if (statusOf(tenantId, sk) !== domain.status) throw conflict(CHANGED_CONCURRENTLY);
      partition(tenantId).delete(sk);
      if (domain.status === 'verified') domainClaims.delete(domain.domain);
      countChange(tenantId, 'domains', { delta: -1 })();
    },
  };
}
