// What a service Lambda's entry hands its service: the DynamoDB table named by TABLE_NAME, a logger
// and the function's environment as its settings. Read at module scope, so a function that lacks its
// table fails at cold start naming the variable.
import { createDocumentClient } from './ddb.ts';
import { createDynamoTable } from './dynamo-table.ts';
import { requiredEnv } from './env.ts';
import { createLogger } from './logger.ts';
import type { ServiceEnvironment } from './service-handler.ts';
import { buildService, type ServiceModule } from './tenant-purge.ts';

export const lambdaEnvironment = (service: string): ServiceEnvironment => ({
  table: createDynamoTable(createDocumentClient(), requiredEnv('TABLE_NAME', `the ${service} DynamoDB table`)),
  logger: createLogger(service),
  settings: process.env,
});

/** A service folder's `handler.ts`: its `service.ts` module over the Lambda environment, with the operations every service has (`purgeTenant`). */
export const lambdaService = (service: string, module: ServiceModule) => buildService(module, lambdaEnvironment(service));
