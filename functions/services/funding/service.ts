// Assembles the Funding service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given. It reads no settings; tests may replace the clock.
import { fundingContract } from '#connectors/contracts/funding';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createFundingOperations } from './operations.ts';
import { createFundingStore } from './store.ts';
/** Its part in removing a tenant (README "Removing a tenant"). */
export { purgeHook } from './purge.ts';

export interface FundingAdapters {
  now: () => Date;
}

export const createService: CreateService<FundingAdapters> = ({ table, logger }, adapters = {}) =>
  createServiceHandler(fundingContract, createFundingOperations({ store: createFundingStore(table), now: adapters.now }), logger);
