// Assembles the Community service (a stub until it lands).
import { communityContract } from '#connectors/contracts/community';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';

export const createService: CreateService = ({ logger }) => createServiceHandler(communityContract, {}, logger);
