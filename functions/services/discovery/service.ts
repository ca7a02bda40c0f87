// Assembles the Discovery service (a stub until it lands).
import { discoveryContract } from '#connectors/contracts/discovery';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';

export const createService: CreateService = ({ logger }) => createServiceHandler(discoveryContract, {}, logger);
