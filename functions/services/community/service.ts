// Assembles the Community service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given. It reads no settings.
import { communityContract } from '#connectors/contracts/community';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createCommunityOperations } from './operations.ts';
import { createCommunityStore } from './store.ts';

export interface CommunityAdapters {
  now: () => Date;
}

export const createService: CreateService<CommunityAdapters> = ({ table, logger }, adapters = {}) =>
  createServiceHandler(communityContract, createCommunityOperations({ store: createCommunityStore(table), now: adapters.now }), logger);
