// The one operation every service has without writing it: `purgeTenant` deletes the calling context's
// tenant from the service's table, a bounded batch per call (README "Removing a tenant"). The connector
// bundle merges this fragment into every registry contract (connectors/loader.ts) and every service
// entry answers it (functions/shared/tenant-purge.ts), so a service contract must not name an operation
// `purgeTenant` itself. Plugin forwarders take the registry's contracts, which lack it: no action can
// forward it; only the owner-only `remove_tenant` and the operator's `npm run remove-tenant` call it.
import * as z from 'zod/mini';
import { defineContract, mergeContracts, type Contract } from './contract.ts';
import { id } from './schema.ts';

/** The `system:<purpose>` of the only context a service accepts `purgeTenant` from (see `systemContext`). */
export const PURGE_PURPOSE = 'remove-tenant';
export const PURGE_CALLER = `system:${PURGE_PURPOSE}`;

/** Items one call deletes at most (a DynamoDB transaction holds 100 writes; a hook may add one bookkeeping write). */
export const PURGE_LIMIT = { min: 2, max: 50, default: 25 } as const;
/** App ids one call carries (services that keep app-keyed items outside the tenant's partition need them). */
export const MAX_PURGE_APP_IDS = 10_000;

export const purgeTenantInput = z.strictObject({
  /** Items to delete in this call at most. */
  limit: z._default(z.int().check(z.minimum(PURGE_LIMIT.min), z.maximum(PURGE_LIMIT.max)), PURGE_LIMIT.default),
  /** The previous answer's cursor: resumes where it stopped (without one a call starts over, which is only slower). */
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  /**
   * Every app id the tenant has in Hosting, archived ones included: Discovery's listings live outside
   * the tenant's partition, keyed by app, and only the caller (who holds every connector) can know them.
   * A service deletes an app-keyed item only when the item itself names the tenant as its owner.
   */
  appIds: z._default(z.array(id()).check(z.maxLength(MAX_PURGE_APP_IDS)), []),
});

export const purgeTenantOutput = z.object({
  /** Items this call deleted. */
  removed: z.int().check(z.minimum(0)),
  /** True when the service holds nothing of the tenant any more (as this call saw it). */
  done: z.boolean(),
  /** Pass it to the next call while `done` is false. */
  cursor: z.optional(z.string()),
});

export const tenantPurgeContract = defineContract({
  purgeTenant: () => ({ input: purgeTenantInput, output: purgeTenantOutput }),
});
export type TenantPurgeContract = typeof tenantPurgeContract;
export type PurgeTenantResult = z.output<typeof purgeTenantOutput>;

/** A service's contract with the operations every service has: what its connector offers. */
export type WithPlatformOperations<C extends Contract> = C & TenantPurgeContract;
export const withPlatformOperations = <C extends Contract>(contract: C): WithPlatformOperations<C> => mergeContracts(contract, tenantPurgeContract);
