// Hosting's store, over the table port (DynamoDB on AWS and locally, memory in mock mode and tests).
// Operations decide; the store writes atomically under the conditions given (expected version or
// status) and reports a lost race as CONFLICT. Every method is tenant-first. Invariants that span
// items are single writes: the slug claim with its app, a deployment with its app's version, the
// platform-wide claim of a verified domain with its domain, and the counts plan limits check.
import type { App, AppStatus, Deployment, Domain } from '#connectors/contracts/hosting';
import { PlatformError, conflict } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { check, put, remove, update, when, writeOrThrow, type Table, type Write } from '#functions/shared/table';
import { APP_PREFIX, appSk, counterSk, deploymentPrefix, domainClaimKey, domainPrefix, slugSk, tenantKey, tenantPk } from './keys.ts';
export type { Page, PageRequest };

/** The stored app: the public shape plus what restore needs. */
export interface AppRecord extends App {
  previousStatus?: AppStatus;
}

export interface HostingStore {
  getApp(tenantId: string, appId: string): Promise<AppRecord | undefined>;
  getCounts(tenantId: string): Promise<{ apps: number; domains: number }>;
  listApps(tenantId: string, page: PageRequest): Promise<Page<AppRecord>>;
  /**
   * Creates the app, claims its slug in the tenant and counts it against `maxApps`, atomically;
   * CONFLICT if the slug is taken, FEATURE_NOT_IN_PLAN at the limit.
   */
  createApp(tenantId: string, app: AppRecord, maxApps?: number | null): Promise<void>;
  /**
   * Replaces the app if its stored version is still `expectedVersion`; CONFLICT otherwise.
   * `counted` moves the app in (+1, checked against `max`) or out (-1) of the tenant's app count.
   */
  updateApp(tenantId: string, app: AppRecord, expectedVersion: number, counted?: CountChange): Promise<void>;

  getDeployment(tenantId: string, appId: string, deploymentId: string): Promise<Deployment | undefined>;
  listDeployments(tenantId: string, appId: string, page: PageRequest): Promise<Page<Deployment>>;
  /** Writes the new deployment and the app (now pointing at it) in one transaction. */
  createDeployment(tenantId: string, deployment: Deployment, app: AppRecord, expectedAppVersion: number): Promise<void>;
  /** Moves a deployment on if it still has `expectedStatus`, and updates its app in the same transaction. */
  updateDeployment(
    tenantId: string,
    deployment: Deployment,
    expectedStatus: string,
    app: { record: AppRecord; expectedVersion: number },
  ): Promise<void>;

  getDomain(tenantId: string, appId: string, domain: string): Promise<Domain | undefined>;
  listDomains(tenantId: string, appId: string, page: PageRequest): Promise<Page<Domain>>;
  /**
   * Attaches the name, still pending verification, to a non-archived app and counts it against
   * `maxDomains`, atomically; CONFLICT if the app has it already or another app has verified it,
   * FEATURE_NOT_IN_PLAN at the limit. Pending names are not claimed: several apps may wait on one.
   */
  addDomain(tenantId: string, domain: Domain, maxDomains?: number | null): Promise<void>;
  /**
   * Replaces the domain if it still has `expectedStatus`. With `claim` (the name was just verified), claims
   * the name platform-wide in the same transaction; CONFLICT if another app verified it first.
   */
  updateDomain(tenantId: string, domain: Domain, expectedStatus: string, options?: { claim?: boolean }): Promise<void>;
  /** Detaches the domain (if it still has the status read) and releases the claim of a verified one together; CONFLICT otherwise. */
  removeDomain(tenantId: string, domain: Domain): Promise<void>;
}

/** A change of a tenant's counted items (apps that are not archived, domains). */
export interface CountChange {
  delta: 1 | -1;
  max?: number | null;
}

export const limitReached = (what: 'apps' | 'domains', max: number) =>
  new PlatformError('FEATURE_NOT_IN_PLAN', `Your plan allows ${max} ${max === 1 ? what.slice(0, -1) : what}; upgrade your plan to add more`, {
    limit: max,
    metric: what,
  });

export const SLUG_TAKEN = 'An app with this slug already exists in your tenant';
export const DOMAIN_ATTACHED = 'This domain is already attached to this app';
export const DOMAIN_VERIFIED_ELSEWHERE = 'This domain is verified by another app; it must be removed there first';
export const CHANGED_CONCURRENTLY = 'The item changed while you were updating it; read it again and retry';

const changedConcurrently = () => conflict(CHANGED_CONCURRENTLY);

export function createHostingStore(table: Table): HostingStore {
  const putApp = (tenantId: string, app: AppRecord, expectedVersion: number) => put(tenantKey(tenantId, appSk(app.appId)), app, when.eq('version', expectedVersion));

  /** The counter update of a count change; increments are conditioned on staying under the limit. */
  function countUpdate(tenantId: string, what: 'apps' | 'domains', { delta, max }: CountChange): Write {
    const limited = delta > 0 && max != null;
    if (limited && max <= 0) throw limitReached(what, max);
    return update(tenantKey(tenantId, counterSk(what)), { add: { count: delta } }, limited ? when.or(when.notExists(), when.below('count', max)) : undefined);
  }
  /** A failed count condition is the plan limit; anything else a lost race. */
  const limitOr = (what: 'apps' | 'domains', countFailed: boolean | undefined, max: number | null | undefined) =>
    countFailed && max != null ? limitReached(what, max) : changedConcurrently();

  const domainKey = (tenantId: string, appId: string, domain: string) => tenantKey(tenantId, domainPrefix(appId) + domain);
  const deploymentKey = (tenantId: string, deployment: Deployment) => tenantKey(tenantId, deploymentPrefix(deployment.appId) + deployment.deploymentId);

  return {
    getApp: (tenantId, appId) => table.get<AppRecord>(tenantKey(tenantId, appSk(appId))),
    async getCounts(tenantId) {
      const [apps, domains] = await Promise.all([
        table.get<{ count?: number }>(tenantKey(tenantId, counterSk('apps'))),
        table.get<{ count?: number }>(tenantKey(tenantId, counterSk('domains'))),
      ]);
      return { apps: apps?.count ?? 0, domains: domains?.count ?? 0 };
    },
    listApps: (tenantId, page) => table.query<AppRecord>(tenantPk(tenantId), APP_PREFIX, page, { newestFirst: true }),

    async createApp(tenantId, app, maxApps) {
      await writeOrThrow(
        table,
        [
          put(tenantKey(tenantId, slugSk(app.slug)), { appId: app.appId }, when.notExists()),
          put(tenantKey(tenantId, appSk(app.appId)), app, when.notExists()),
          countUpdate(tenantId, 'apps', { delta: 1, max: maxApps }),
        ],
        (failed) => (failed[0] ? conflict(SLUG_TAKEN, { field: 'slug' }) : limitOr('apps', failed[2], maxApps)),
      );
    },

    async updateApp(tenantId, app, expectedVersion, counted) {
      const writes = [putApp(tenantId, app, expectedVersion), ...(counted ? [countUpdate(tenantId, 'apps', counted)] : [])];
      await writeOrThrow(table, writes, (failed) => limitOr('apps', failed[1], counted?.max));
    },

    getDeployment: (tenantId, appId, deploymentId) => table.get<Deployment>(tenantKey(tenantId, deploymentPrefix(appId) + deploymentId)),
    listDeployments: (tenantId, appId, page) => table.query<Deployment>(tenantPk(tenantId), deploymentPrefix(appId), page, { newestFirst: true }),

    async createDeployment(tenantId, deployment, app, expectedAppVersion) {
      await writeOrThrow(table, [put(deploymentKey(tenantId, deployment), deployment, when.notExists()), putApp(tenantId, app, expectedAppVersion)], changedConcurrently);
    },

    async updateDeployment(tenantId, deployment, expectedStatus, { record, expectedVersion }) {
      await writeOrThrow(
        table,
        [put(deploymentKey(tenantId, deployment), deployment, when.eq('status', expectedStatus)), putApp(tenantId, record, expectedVersion)],
        changedConcurrently,
      );
    },

    getDomain: (tenantId, appId, domain) => table.get<Domain>(domainKey(tenantId, appId, domain)),
    listDomains: (tenantId, appId, page) => table.query<Domain>(tenantPk(tenantId), domainPrefix(appId), page),

    async addDomain(tenantId, domain, maxDomains) {
      await writeOrThrow(
        table,
        [
          // Only a verified name is claimed platform-wide; a pending one blocks nobody.
          check(domainClaimKey(domain.domain), when.notExists()),
          put(domainKey(tenantId, domain.appId, domain.domain), domain, when.notExists()),
          check(tenantKey(tenantId, appSk(domain.appId)), when.and(when.exists(), when.ne('status', 'archived'))),
          countUpdate(tenantId, 'domains', { delta: 1, max: maxDomains }),
        ],
        (failed) => {
          if (failed[0]) return conflict(DOMAIN_VERIFIED_ELSEWHERE, { field: 'domain' });
          if (failed[1]) return conflict(DOMAIN_ATTACHED, { field: 'domain' });
          return limitOr('domains', failed[3], maxDomains);
        },
      );
    },

    async updateDomain(tenantId, domain, expectedStatus, { claim = false } = {}) {
      await writeOrThrow(
        table,
        [
          put(domainKey(tenantId, domain.appId, domain.domain), domain, when.eq('status', expectedStatus)),
          ...(claim ? [put(domainClaimKey(domain.domain), { tenantId, appId: domain.appId }, when.notExists())] : []),
        ],
        (failed) => (failed[1] ? conflict(DOMAIN_VERIFIED_ELSEWHERE, { field: 'domain' }) : changedConcurrently()),
      );
    },

    async removeDomain(tenantId, domain) {
      const claimed = domain.status === 'verified';
      await writeOrThrow(
        table,
        [
          // Conditioned on the status read, so a verification landing meanwhile cannot leave its claim behind.
          remove(domainKey(tenantId, domain.appId, domain.domain), when.eq('status', domain.status)),
          ...(claimed ? [remove(domainClaimKey(domain.domain), when.and(when.eq('tenantId', tenantId), when.eq('appId', domain.appId)))] : []),
          countUpdate(tenantId, 'domains', { delta: -1 }),
        ],
        changedConcurrently,
      );
    },
  };
}
