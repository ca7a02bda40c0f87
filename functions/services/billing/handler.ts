// Lambda entry of the Billing service: configuration from the environment, clients at module scope.
import { createDocumentClient } from '#functions/shared/ddb';
import { optionalEnv, requiredEnv } from '#functions/shared/env';
import { createLogger } from '#functions/shared/logger';
import { localPayments, noPayments, type PaymentProvider } from './payments.ts';
import { createBillingService } from './service.ts';

const tableName = requiredEnv('BILLING_TABLE', 'the Billing DynamoDB table name');

/**
 * `none` (default): no checkout ever completes. `local`: the stand-in that approves every payment,
 * for demo stacks only; its confirmation page is BILLING_CHECKOUT_URL. A real provider goes here.
 */
function paymentProvider(): PaymentProvider {
  const provider = optionalEnv('PAYMENT_PROVIDER', 'none');
  if (provider === 'none') return noPayments;
  if (provider === 'local') return localPayments(requiredEnv('BILLING_CHECKOUT_URL', "the base URL of the platform's checkout confirmation page"));
  throw new Error(`Environment variable PAYMENT_PROVIDER must be "none" or "local", not "${provider}"`);
}

export const handler = createBillingService({
  db: createDocumentClient(),
  tableName,
  payments: paymentProvider(),
  logger: createLogger('billing'),
});
