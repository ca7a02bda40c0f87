// Payment providers sit behind this interface (SERVICES.md, "Billing"): the provider hosts the page
// where the customer pays, and confirms (or not) that a checkout session was paid. A provider with a
// checkout and subscriptions of its own (Stripe) also opens its checkout, cancels its subscription and
// verifies the events its webhook sends.
import type { CheckoutSession } from './store.ts';

/** What a confirmed payment started at the provider (true: nothing to remember). */
export interface PaymentReceipt {
  /** The provider's subscription, cancelled there when the tenant cancels. */
  providerSubscriptionId?: string;
}

/** A checkout opened at the provider: where to send the customer, and the provider's id for it. */
export interface OpenedCheckout {
  url: string;
  providerSessionId: string;
}

/** What a verified webhook event asks of Billing. */
export type PaymentEvent =
  | {
      kind: 'checkout_paid';
      eventId: string;
      type: string;
      /** From the verified event: the tenant, and Billing's own session id, that Billing put there when it opened the checkout. */
      tenantId: string;
      sessionId: string;
      providerSessionId: string;
      providerSubscriptionId?: string;
      /** When the provider took the payment (ISO): the session must have been open then. */
      paidAt: string;
    }
  | { kind: 'ignored'; eventId: string; type: string; reason: string };

interface ProviderBase {
  /** Whether the provider has received the session's payment; asked before the plan is activated. */
  confirmPayment(session: CheckoutSession): Promise<boolean | PaymentReceipt>;
  /** Stops the provider's subscription from renewing; it stays paid until its period ends. */
  cancelAtPeriodEnd?(providerSubscriptionId: string): Promise<void>;
  /**
   * Verifies a webhook delivery (signature over the raw payload, its age at `receivedAt`) and says
   * what it asks. Throws a VALIDATION_FAILED PlatformError when the delivery is not genuine.
   */
  verifyEvent?(payload: string, signature: string, receivedAt: Date): Promise<PaymentEvent>;
}

/** A provider whose checkout page is the platform's own (`none`, `local`). */
export interface PagePayments extends ProviderBase {
  /** Where to send the customer to pay for the session. */
  checkoutUrl(session: { tenantId: string; sessionId: string }): string;
}

/** A provider that hosts its own checkout (Stripe). */
export interface HostedPayments extends ProviderBase {
  /** Opens the provider's checkout for the session, before Billing stores it. */
  openCheckout(request: { tenantId: string; session: CheckoutSession }): Promise<OpenedCheckout>;
}

export type PaymentProvider = PagePayments | HostedPayments;

/**
 * No provider configured (the AWS default until a real one is wired): checkouts can be started but
 * never complete, so no plan is ever activated without a payment.
 */
export const noPayments: PagePayments = {
  checkoutUrl: () => 'about:blank#no-payment-provider-configured',
  confirmPayment: async () => false,
};

/**
 * The built-in `local` provider: its checkout URL is a confirmation page of the platform itself
 * (`<baseUrl>?tenant=<tenantId>&session=<sessionId>`) and it approves every payment.
 * A STAND-IN for development, demos and tests: no money moves, so never use it to sell real plans.
 * Throws at construction if `baseUrl` is not an absolute URL, so a bad setting fails the cold start.
 */
export function localPayments(baseUrl: string): PagePayments {
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
