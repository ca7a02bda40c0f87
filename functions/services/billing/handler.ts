// Lambda entry of the Billing service.
import { lambdaService } from '#functions/shared/lambda-entry';
import * as service from './service.ts';

export const handler = lambdaService('billing', service);
