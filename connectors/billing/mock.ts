// The mock Billing connector: stateful, in memory, no AWS. It runs the service's own operations over
// an in-memory store behind the same service handler, so mock mode obeys exactly the rules managed
// mode does (a deliberate deviation from a separate hand-written fake: the rules exist once).
import type { PlanTier } from './plans.ts';
import { createBillingOperations } from '#functions/services/billing/operations';
import { createMemoryBillingStore } from '#functions/services/billing/memory-store';
import { localPayments, type PaymentProvider } from '#functions/services/billing/payments';
import { createServiceHandler } from '#functions/shared/service-handler';
import { createLogger } from '#functions/shared/logger';
import { inProcessTransport } from '../base.ts';
import { billingContract } from './contract.ts';
import { createBillingConnector, type BillingConnector } from './index.ts';

export interface MockBillingOptions {
  /** @default the `local` provider (approves every payment) with its page at `checkoutUrl` */
  payments?: PaymentProvider;
  /** Base URL of the checkout confirmation page, when `payments` is not given. @default 'http://localhost/checkout' */
  checkoutUrl?: string;
  /** The plan of a tenant without a subscription. @default 'free' (mock mode passes 'enterprise') */
  defaultPlan?: PlanTier;
  /** @default the system clock */
  now?: () => Date;
}

export function createMockBillingConnector({ payments, checkoutUrl = 'http://localhost/checkout', defaultPlan = 'free', now }: MockBillingOptions = {}): BillingConnector {
  const operations = createBillingOperations({ store: createMemoryBillingStore(), payments: payments ?? localPayments(checkoutUrl), defaultPlan, now });
  return createBillingConnector(inProcessTransport(createServiceHandler(billingContract, operations, createLogger('billing-mock')), 'billing'));
}
