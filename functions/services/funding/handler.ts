// Lambda entry of the Funding service.
import { lambdaEnvironment } from '#functions/shared/lambda-entry';
import { createService } from './service.ts';

export const handler = createService(lambdaEnvironment('funding'));
