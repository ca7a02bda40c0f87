// Assembles the Identity service handler from its parts; the Lambda entry and the local platform
// both build it here, so they run the same code with different configuration.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { identityContract } from '#connectors/identity/contract';
import type { Logger } from '#functions/shared/logger';
import { createServiceHandler } from '#functions/shared/service-handler';
import { createDynamoIdentityStore } from './dynamo-store.ts';
import { createIdentityOperations } from './operations.ts';

export interface IdentityServiceConfig {
  db: DynamoDBDocumentClient;
  tableName: string;
  logger: Logger;
}

export const createIdentityService = ({ db, tableName, logger }: IdentityServiceConfig) =>
  createServiceHandler(identityContract, createIdentityOperations({ store: createDynamoIdentityStore(db, tableName) }), logger);
