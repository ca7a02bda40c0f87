// Removing a tenant across every service (README "Removing a tenant"): the rule that spans services,
// shared by the owner-only `remove_tenant` action (admin.ts) and the operator's `npm run remove-tenant`.
// Each registry service answers `purgeTenant` (functions/shared/tenant-purge.ts) a batch at a time; this
// calls them in order until each is done, within a time budget, then once more over all of them to
// confirm nothing came back. The tables hold the progress, so stopping anywhere and starting again is safe.
import { SERVICE_NAMES, type ServiceName } from '#connectors/contracts/registry';
import { MAX_PURGE_APP_IDS, PURGE_LIMIT, PURGE_PURPOSE, type PurgeTenantResult } from '#connectors/contracts/tenant-purge';
import { PlatformError, systemContext, type CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';

/**
 * Removed last, in this order: Hosting (the others are given its app ids, read each pass), Billing (the
 * plan) and Identity (who owns the tenant: the owner stays an owner until the very end). Every other
 * service, a new one too, goes first, in registry order.
 */
const LAST: readonly ServiceName[] = ['hosting', 'billing', 'identity'];
export const REMOVAL_ORDER: readonly ServiceName[] = [...SERVICE_NAMES.filter((name) => !LAST.includes(name)), ...LAST];

/** Calls in a row that neither removed anything nor moved the cursor before a service is reported stuck. */
const MAX_IDLE_CALLS = 5;

export interface RemovalOptions {
  /** Items per `purgeTenant` call. @default 25 */
  limit?: number;
  /** No call starts after this long; the answer is then `done: false`. @default unbounded */
  budgetMs?: number;
  now?: () => number;
  correlationId?: string;
  /** Each call's answer, as it comes (the operator's command prints progress from it). */
  onCall?: (service: ServiceName, result: PurgeTenantResult) => void;
}

export interface RemovalReport {
  /** Items deleted by this run, per service. */
  removed: Record<ServiceName, number>;
  /** True when a full pass over every service found nothing left of the tenant. */
  done: boolean;
  /** `purgeTenant` calls made. */
  calls: number;
}

/** Every app id the tenant has in Hosting, archived ones included (listed only when asked for). */
async function tenantAppIds(hosting: ConnectorBundle['hosting'], ctx: CallContext): Promise<string[]> {
  const ids = new Set<string>();
  for (const status of [undefined, 'archived'] as const) {
    let cursor: string | undefined;
    do {
      const page = await hosting.listApps(ctx, { limit: 100, cursor, ...(status && { status }) });
      for (const app of page.items) ids.add(app.appId);
      cursor = page.nextCursor;
    } while (cursor);
  }
  if (ids.size > MAX_PURGE_APP_IDS) throw new PlatformError('CONFLICT', `The tenant has more than ${MAX_PURGE_APP_IDS} apps; removing it needs an operator`);
  return [...ids];
}

/**
 * Deletes every item of `tenantId` in every service, in batches of `limit`, until done or out of
 * budget. Calls are made as `system:remove-tenant` of that tenant, the only context services accept
 * `purgeTenant` from; callers decide who may start it (an owner of the tenant, or an operator).
 */
export async function removeTenant(connectors: ConnectorBundle, tenantId: string, options: RemovalOptions = {}): Promise<RemovalReport> {
  const { limit = PURGE_LIMIT.default, budgetMs = Number.POSITIVE_INFINITY, now = Date.now, onCall } = options;
  const ctx = systemContext(tenantId, PURGE_PURPOSE, options.correlationId ?? `remove-tenant-${now()}`);
  const removed = Object.fromEntries(REMOVAL_ORDER.map((name) => [name, 0])) as Record<ServiceName, number>;
  const started = now();
  let calls = 0;
  const report = (done: boolean): RemovalReport => ({ removed, done, calls });

  for (;;) {
    let removedThisPass = 0;
    const appIds = await tenantAppIds(connectors.hosting, ctx);
    for (const service of REMOVAL_ORDER) {
      let cursor: string | undefined;
      let idle = 0;
      for (;;) {
        if (now() - started >= budgetMs) return report(false);
        const result = await connectors[service].purgeTenant(ctx, { limit, appIds, ...(cursor !== undefined && { cursor }) });
        calls++;
        removed[service] += result.removed;
        removedThisPass += result.removed;
        onCall?.(service, result);
        if (result.done) break;
        idle = result.removed === 0 && result.cursor === cursor ? idle + 1 : 0;
        if (idle >= MAX_IDLE_CALLS) throw new PlatformError('CONFLICT', `The ${service} service's items of the tenant keep changing; try again`);
        cursor = result.cursor;
      }
    }
    // A pass that found nothing at all confirms the end (requests of the tenant running meanwhile may have written).
    if (removedThisPass === 0) return report(true);
  }
}
