// Lambda entry of the Identity service: configuration from the environment, clients at module scope.
import { createDocumentClient } from '#functions/shared/ddb';
import { requiredEnv } from '#functions/shared/env';
import { createLogger } from '#functions/shared/logger';
import { createIdentityService } from './service.ts';

const tableName = requiredEnv('IDENTITY_TABLE', 'the Identity DynamoDB table name');

export const handler = createIdentityService({
  db: createDocumentClient(),
  tableName,
  logger: createLogger('identity'),
});
