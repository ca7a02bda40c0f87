// Lambda entry of the Discovery service.
import { lambdaService } from '#functions/shared/lambda-entry';
import * as service from './service.ts';

export const handler = lambdaService('discovery', service);
