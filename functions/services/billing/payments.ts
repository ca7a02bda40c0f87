// Payment providers sit behind this interface (SERVICES.md, "Billing"): the provider hosts the page
// where the customer pays, and confirms (or not) that a checkout session was paid.
import type { CheckoutSession } from './store.ts';

export interface PaymentProvider {
  /** Where to send the customer to pay for the session. */
  checkoutUrl(session: { tenantId: string; sessionId: string }): string;
  /** Whether the provider has received the session's payment; asked before the plan is activated. */
  confirmPayment(session: CheckoutSession): Promise<boolean>;
}

/**
 * No provider configured (the AWS default until a real one is wired): checkouts can be started but
 * never complete, so no plan is ever activated without a payment.
 */
export const noPayments: PaymentProvider = {
  checkoutUrl: () => 'about:blank#no-payment-provider-configured',
  confirmPayment: async () => false,
};

/**
 * The built-in `local` provider: its checkout URL is a confirmation page of the platform itself
 * (`<baseUrl>?tenant=<tenantId>&session=<sessionId>`) and it approves every payment.
 * A STAND-IN for development, demos and tests: no money moves, so never use it to sell real plans.
 * Throws at construction if `baseUrl` is not an absolute URL, so a bad setting fails the cold start.
 */
export function localPayments(baseUrl: string): PaymentProvider {
  const base = new URL(baseUrl);
  return {
    checkoutUrl({ tenantId, sessionId }) {
      const url = new URL(base);
      url.searchParams.set('tenant', tenantId);
      url.searchParams.set('session', sessionId);
      return url.toString();
    },
    confirmPayment: async () => true,
  };
}
