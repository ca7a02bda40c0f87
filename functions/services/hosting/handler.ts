// Lambda entry of the Hosting service: configuration from the environment, clients at module scope.
import { createDocumentClient } from '#functions/shared/ddb';
import { requiredEnv } from '#functions/shared/env';
import { createLogger } from '#functions/shared/logger';
import { createHostingService } from './service.ts';
import { systemDns } from './dns.ts';

const tableName = requiredEnv('HOSTING_TABLE', 'the Hosting DynamoDB table name');

export const handler = createHostingService({
  db: createDocumentClient(),
  tableName,
  dns: systemDns,
  logger: createLogger('hosting'),
});
