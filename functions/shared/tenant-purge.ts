// Removing a tenant, as every service does it without writing it (README "Removing a tenant"): the
// `purgeTenant` operation deletes the calling context's tenant from the service's table, at most `limit`
// items per call, and answers `{ removed, done, cursor? }`. First the items the tenant keeps outside its
// partition (a service's own `purgeHook.outside`: Hosting's domain claims, Discovery's listings,
// Funding's round references), then every item under `T#<tenantId>`, those of `purgeHook.last` at the
// very end. State lives in the table, so a call without a cursor (a new request) simply starts over, and
// a call after the end deletes nothing and answers done.
import { PURGE_CALLER, tenantPurgeContract, type PurgeTenantResult } from '#connectors/contracts/tenant-purge';
import { PlatformError, invalid, type CallContext, type Result } from '#connectors/contracts/wire';
import { tenantKey, tenantPk } from './keys.ts';
import { createServiceHandler, type CreateService, type ServiceEnvironment } from './service-handler.ts';
import { remove, type Table } from './table.ts';

export interface PurgeArgs {
  tenantId: string;
  /** Items the call may delete at most. */
  limit: number;
  /** The hook's own cursor from its previous answer (undefined: from the start). */
  cursor?: string;
  /** The tenant's app ids in Hosting (see `purgeTenantInput`). */
  appIds: readonly string[];
}

export interface OutsideOutcome {
  removed: number;
  /** True when nothing of the tenant is left outside its partition. */
  done: boolean;
  cursor?: string;
}

/** What a service adds to the generic purge, in its own folder (`purge.ts`, exported by its `service.ts` as `purgeHook`). */
export interface PurgeHook {
  /**
   * Deletes at most `limit` of the tenant's items outside its partition. Runs before the partition is
   * touched, because it finds them from partition items (or `appIds`); where it can, it deletes the
   * partition item that leads to an outside item in the same write, so none is left without its way in.
   * An outside item is deleted only if it names the tenant as its owner.
   */
  outside?(table: Table, args: PurgeArgs): Promise<OutsideOutcome>;
  /** Sort keys of the partition to delete only after every other item (Identity: what decides who owns the tenant). */
  last?(table: Table, tenantId: string): Promise<string[]>;
}

/** What a service folder's `service.ts` exports; `in-process.ts` and each `handler.ts` take it whole. */
export interface ServiceModule {
  createService: CreateService;
  purgeHook?: PurgeHook;
}

type Phase = { phase: 'outside'; at?: string } | { phase: 'partition' };

const encodePhase = (phase: Phase): string => Buffer.from(JSON.stringify(phase), 'utf8').toString('base64url');

function decodePhase(cursor: string | undefined): Phase {
  if (cursor === undefined) return { phase: 'outside' };
  let phase: unknown;
  try {
    phase = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    phase = undefined;
  }
  const { phase: name, at } = (phase ?? {}) as { phase?: unknown; at?: unknown };
  if (name === 'partition') return { phase: name };
  if (name === 'outside' && (at === undefined || typeof at === 'string')) return { phase: name, ...(at !== undefined && { at }) };
  throw invalid('cursor: not a cursor of purgeTenant', { issues: [{ field: 'cursor', message: 'not a cursor of purgeTenant' }] });
}

/** Tries of a batch delete that keeps meeting a concurrent transaction before the call answers "not done". */
const DELETE_ATTEMPTS = 3;

/** One batch of the tenant's partition: every other item first, `last`'s at the end. */
async function purgePartition(table: Table, tenantId: string, limit: number, hook: PurgeHook): Promise<PurgeTenantResult> {
  const pk = tenantPk(tenantId);
  const last = new Set((await hook.last?.(table, tenantId)) ?? []);
  // At most last.size keys of the page are held back, so a full page always leaves `limit` others.
  const page = await table.keys(pk, '', { limit: limit + last.size });
  const others = page.items.filter((sk) => !last.has(sk));
  const batch = (others.length > 0 ? others : page.items).slice(0, limit);
  if (batch.length === 0) return { removed: 0, done: true };
  const more = page.items.length > batch.length || page.nextCursor !== undefined;
  const partition = encodePhase({ phase: 'partition' });
  for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
    // Unconditional deletes: deleting what a concurrent request just deleted is fine.
    const outcome = await table.write(batch.map((sk) => remove(tenantKey(tenantId, sk))));
    if (outcome.ok) return { removed: batch.length, done: !more, ...(more && { cursor: partition }) };
  }
  return { removed: 0, done: false, cursor: partition };
}

/**
 * One call's worth of removing `tenantId` from `table`: at most `limit` items. The outside phase ends
 * before the partition phase starts; a call that removed outside items stops there, so no call deletes
 * more than `limit` (plus the hook's bookkeeping write).
 */
export async function purgeTenant(table: Table, { tenantId, limit, cursor, appIds }: Omit<PurgeArgs, 'cursor'> & { cursor?: string }, hook: PurgeHook = {}): Promise<PurgeTenantResult> {
  const phase = decodePhase(cursor);
  if (phase.phase === 'outside' && hook.outside) {
    const outcome = await hook.outside(table, { tenantId, limit, appIds, ...(phase.at !== undefined && { cursor: phase.at }) });
    if (!outcome.done) return { removed: outcome.removed, done: false, cursor: encodePhase({ phase: 'outside', ...(outcome.cursor !== undefined && { at: outcome.cursor }) }) };
    if (outcome.removed > 0) return { removed: outcome.removed, done: false, cursor: encodePhase({ phase: 'partition' }) };
  }
  return purgePartition(table, tenantId, limit, hook);
}

/**
 * Only the platform's removal (the owner-only `remove_tenant` action, the operator's command) calls
 * `purgeTenant`, always with `systemContext(tenantId, PURGE_PURPOSE, …)`: a `system:` user with no roles.
 * A person's or an app key's context always has a role, so a forwarded user call is refused even if
 * its token's subject were `system:remove-tenant`. The boundary itself is that only the execute function
 * (and an operator with invoke rights) reaches a service, and no plugin forwards this operation.
 */
export function assertPurgeCaller(ctx: CallContext): void {
  if (ctx.userId !== PURGE_CALLER || ctx.roles.length > 0) throw new PlatformError('FORBIDDEN', 'purgeTenant is only for the platform removing a tenant');
}

const isPurgeRequest = (event: unknown): boolean => typeof event === 'object' && event !== null && (event as { op?: unknown }).op === 'purgeTenant';

/** The service's handler answering `purgeTenant` too, over the same table. */
export function withTenantPurge(
  handler: (event: unknown) => Promise<Result<unknown>>,
  { table, logger }: ServiceEnvironment,
  hook: PurgeHook = {},
): (event: unknown) => Promise<Result<unknown>> {
  const purge = createServiceHandler(
    tenantPurgeContract,
    {
      async purgeTenant(ctx, input) {
        assertPurgeCaller(ctx);
        const result = await purgeTenant(table, { tenantId: ctx.tenantId, ...input }, hook);
        logger.info('tenant purge', { correlationId: ctx.correlationId, tenantId: ctx.tenantId, removed: result.removed, done: result.done });
        return result;
      },
    },
    logger,
  );
  return (event) => (isPurgeRequest(event) ? purge(event) : handler(event));
}

/** A service built from its folder's module, with the operations every service has: the Lambda entry and in-process services alike. */
export const buildService = (module: ServiceModule, environment: ServiceEnvironment, adapters?: object) =>
  withTenantPurge(module.createService(environment, adapters), environment, module.purgeHook);
