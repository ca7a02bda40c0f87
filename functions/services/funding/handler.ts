// Lambda entry of the Funding service.
import { lambdaService } from '#functions/shared/lambda-entry';
import * as service from './service.ts';

export const handler = lambdaService('funding', service);
