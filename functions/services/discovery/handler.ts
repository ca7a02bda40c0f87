// Lambda entry of the Discovery service.
import { lambdaEnvironment } from '#functions/shared/lambda-entry';
import { createService } from './service.ts';

export const handler = createService(lambdaEnvironment('discovery'));
