// Assembles the Social service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given.
import { socialContract } from '#connectors/contracts/social';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createSocialOperations } from './operations.ts';
import { createSocialStore } from './store.ts';

export interface SocialAdapters {
  now: () => Date;
}

export const createService: CreateService<SocialAdapters> = ({ table, logger }, adapters = {}) =>
  createServiceHandler(socialContract, createSocialOperations({ store: createSocialStore(table), now: adapters.now }), logger);
