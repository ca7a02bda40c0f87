// Assembles the Billing service handler from its parts; the Lambda entry and the local platform
// both build it here, so they run the same code with different configuration.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { billingContract } from '#connectors/billing/contract';
import type { PlanTier } from '#connectors/billing/plans';
import type { Logger } from '#functions/shared/logger';
import { createServiceHandler } from '#functions/shared/service-handler';
import { createDynamoBillingStore } from './dynamo-store.ts';
import { createBillingOperations } from './operations.ts';
import type { PaymentProvider } from './payments.ts';

export interface BillingServiceConfig {
  db: DynamoDBDocumentClient;
  tableName: string;
  logger: Logger;
  payments: PaymentProvider;
  /** The plan of a tenant without a subscription. @default 'free' */
  defaultPlan?: PlanTier;
  /** @default the system clock; tests pass one they can move (checkout expiry, period ends) */
  now?: () => Date;
}

export const createBillingService = ({ db, tableName, logger, payments, defaultPlan, now }: BillingServiceConfig) =>
  createServiceHandler(billingContract, createBillingOperations({ store: createDynamoBillingStore(db, tableName), payments, defaultPlan, now }), logger);
