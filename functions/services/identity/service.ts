// Assembles the Identity service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given.
import { identityContract } from '#connectors/contracts/identity';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createIdentityOperations } from './operations.ts';
import { createIdentityStore } from './store.ts';
/** Its part in removing a tenant (README "Removing a tenant"). */
export { purgeHook } from './purge.ts';

export interface IdentityAdapters {
  now: () => Date;
}

export const createService: CreateService<IdentityAdapters> = ({ table, logger }, adapters = {}) =>
  createServiceHandler(identityContract, createIdentityOperations({ store: createIdentityStore(table), now: adapters.now }), logger);
