// Assembles the Hosting service handler from its parts; the Lambda entry and the local platform
// both build it here, so they run the same code with different configuration.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { hostingContract } from '#connectors/hosting/contract';
import type { Logger } from '#functions/shared/logger';
import { createServiceHandler } from '#functions/shared/service-handler';
import { createDynamoHostingStore } from './dynamo-store.ts';
import { createHostingOperations, type CertificateIssuer, type TxtResolver } from './operations.ts';

export interface HostingServiceConfig {
  db: DynamoDBDocumentClient;
  tableName: string;
  dns: TxtResolver;
  logger: Logger;
  /** @default certificates stay `issuing` until the edge certificate automation exists (see README) */
  certificates?: CertificateIssuer;
}

export const pendingEdgeCertificates: CertificateIssuer = { request: async () => ({ status: 'issuing' }) };

export const createHostingService = ({ db, tableName, dns, logger, certificates = pendingEdgeCertificates }: HostingServiceConfig) =>
  createServiceHandler(hostingContract, createHostingOperations({ store: createDynamoHostingStore(db, tableName), dns, certificates }), logger);
