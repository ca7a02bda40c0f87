// Assembles the Discovery service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given. It reads no settings; tests may replace the clock.
import { discoveryContract } from '#connectors/contracts/discovery';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createDiscoveryOperations } from './operations.ts';
import { createDiscoveryStore } from './store.ts';
/** Its part in removing a tenant (README "Removing a tenant"). */
export { purgeHook } from './purge.ts';

export interface DiscoveryAdapters {
  now: () => Date;
}

export const createService: CreateService<DiscoveryAdapters> = ({ table, logger }, adapters = {}) =>
  createServiceHandler(discoveryContract, createDiscoveryOperations({ store: createDiscoveryStore(table), now: adapters.now }), logger);
