// Lambda entry of the Community service.
import { lambdaService } from '#functions/shared/lambda-entry';
import * as service from './service.ts';

export const handler = lambdaService('community', service);
