// Assembles the Growth service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given.
import { growthContract } from '#connectors/contracts/growth';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createGrowthOperations } from './operations.ts';
import { createGrowthStore } from './store.ts';

export interface GrowthAdapters {
  now: () => Date;
}

export const createService: CreateService<GrowthAdapters> = ({ table, logger }, adapters = {}) =>
  createServiceHandler(growthContract, createGrowthOperations({ store: createGrowthStore(table), now: adapters.now }), logger);
