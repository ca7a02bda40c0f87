// Assembles the Social service (a stub until it lands).
import { socialContract } from '#connectors/contracts/social';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';

export const createService: CreateService = ({ logger }) => createServiceHandler(socialContract, {}, logger);
