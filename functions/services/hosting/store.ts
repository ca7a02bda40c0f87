// The persistence port of Hosting. Operations decide; stores write atomically under the conditions
// given (expected version or status) and report a lost race as CONFLICT. Every method is tenant-first.
import type { App, AppStatus, Deployment, Domain } from '#connectors/hosting/contract';
import { PlatformError } from '#connectors/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
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
