// Lambda entry of the Hosting service.
import { lambdaService } from '#functions/shared/lambda-entry';
import * as service from './service.ts';

export const handler = lambdaService('hosting', service);
