// Assembles the Billing service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given. The payment provider and the default plan come from the
// settings, or from `adapters` in tests.
import { billingContract, parsePriceIds } from '#connectors/contracts/billing';
import { PLAN_TIERS } from '#connectors/contracts/plans';
import { settingsOf, type Settings } from '#functions/shared/env';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { createBillingOperations } from './operations.ts';
import { localPayments, noPayments, type PaymentProvider } from './payments.ts';
import { createBillingStore } from './store.ts';
import { checkCredentials, secretCredentials, stripePayments } from './stripe.ts';

export interface BillingAdapters {
  payments: PaymentProvider;
  /** @default the system clock; tests pass one they can move (checkout expiry, period ends) */
  now: () => Date;
}

export const PAYMENT_PROVIDERS = ['none', 'local', 'stripe'] as const;

/**
 * The `stripe` provider from the settings: `STRIPE_PRICE_IDS` (`starter:price_...,premium:price_...`),
 * the credentials from the secret `STRIPE_SECRET_ARN` (AWS) or else `STRIPE_API_KEY` and
 * `STRIPE_WEBHOOK_SECRET`, and `STRIPE_API_BASE` to reach a stand-in instead of api.stripe.com.
 */
function stripeFrom(settings: Settings): PaymentProvider {
  const read = settingsOf(settings);
  const priceIds = parsePriceIds(read.required('STRIPE_PRICE_IDS', 'the Stripe price of each plan sold, as plan:price_id,...'), 'Setting STRIPE_PRICE_IDS');
  const apiBase = settings['STRIPE_API_BASE'] || undefined;
  const secretArn = settings['STRIPE_SECRET_ARN'];
  if (secretArn) return stripePayments({ credentials: secretCredentials(secretArn), priceIds, apiBase });
  const given = checkCredentials(
    {
      apiKey: read.required('STRIPE_API_KEY', 'the Stripe API key (or STRIPE_SECRET_ARN)'),
      webhookSecret: read.required('STRIPE_WEBHOOK_SECRET', "the Stripe webhook endpoint's signing secret (or STRIPE_SECRET_ARN)"),
    },
    'Settings STRIPE_API_KEY / STRIPE_WEBHOOK_SECRET',
  );
  return stripePayments({ credentials: async () => given, priceIds, apiBase });
}

/**
 * Settings: `PAYMENT_PROVIDER` `none` (default: no checkout ever completes), `local` (the stand-in
 * that approves every payment, demo stacks only; its confirmation page is `BILLING_CHECKOUT_URL`) or
 * `stripe` (see stripeFrom), and `BILLING_DEFAULT_PLAN`, the plan of a tenant without a subscription
 * (default `free`; the unit tests' `createMockConnectors`: `enterprise`).
 */
export const createService: CreateService<BillingAdapters> = ({ table, logger, settings }, adapters = {}) => {
  const read = settingsOf(settings);
  const provider = read.oneOf('PAYMENT_PROVIDER', PAYMENT_PROVIDERS, 'none');
  const payments =
    adapters.payments ??
    (provider === 'stripe'
      ? stripeFrom(settings)
      : provider === 'local'
        ? localPayments(read.required('BILLING_CHECKOUT_URL', "the base URL of the platform's checkout confirmation page"))
        : noPayments);
  const defaultPlan = read.oneOf('BILLING_DEFAULT_PLAN', PLAN_TIERS, 'free');
  return createServiceHandler(billingContract, createBillingOperations({ store: createBillingStore(table), payments, defaultPlan, now: adapters.now, logger }), logger);
};
