// Assembles the Billing service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given. The payment provider and the default plan come from the
// settings, or from `adapters` in tests.
import { billingContract } from '#connectors/contracts/billing';
import { PLAN_TIERS } from '#connectors/contracts/plans';
import { settingsOf } from '#functions/shared/env';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createBillingOperations } from './operations.ts';
import { localPayments, noPayments, type PaymentProvider } from './payments.ts';
import { createBillingStore } from './store.ts';

export interface BillingAdapters {
  payments: PaymentProvider;
  /** @default the system clock; tests pass one they can move (checkout expiry, period ends) */
  now: () => Date;
}

/**
 * Settings: `PAYMENT_PROVIDER` `none` (default: no checkout ever completes) or `local` (the stand-in
 * that approves every payment, demo stacks only; its confirmation page is `BILLING_CHECKOUT_URL`), and
 * `BILLING_DEFAULT_PLAN`, the plan of a tenant without a subscription (default `free`; the unit tests' `createMockConnectors`: `enterprise`).
 */
export const createService: CreateService<BillingAdapters> = ({ table, logger, settings }, adapters = {}) => {
  const read = settingsOf(settings);
  const provider = read.oneOf('PAYMENT_PROVIDER', ['none', 'local'], 'none');
  const payments =
    adapters.payments ?? (provider === 'local' ? localPayments(read.required('BILLING_CHECKOUT_URL', "the base URL of the platform's checkout confirmation page")) : noPayments);
  const defaultPlan = read.oneOf('BILLING_DEFAULT_PLAN', PLAN_TIERS, 'free');
  return createServiceHandler(billingContract, createBillingOperations({ store: createBillingStore(table), payments, defaultPlan, now: adapters.now }), logger);
};
