// Assembles the Funding service (a stub until it lands).
import { fundingContract } from '#connectors/contracts/funding';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';

export const createService: CreateService = ({ logger }) => createServiceHandler(fundingContract, {}, logger);
