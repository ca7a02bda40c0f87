// The `stripe` payment provider, over the official SDK: a plan is sold through a Stripe Checkout
// Session in subscription mode, a cancellation stops the Stripe subscription at its period end, and
// Stripe's webhook events are verified here (signature over the raw body, 300 s tolerance) before
// Billing acts on them. The API key and the webhook signing secret come from the settings
// (STRIPE_API_KEY / STRIPE_WEBHOOK_SECRET), or on AWS from a Secrets Manager secret (STRIPE_SECRET_ARN)
// read once per container.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type Stripe from 'stripe';
import type { PaidPlan } from '#connectors/contracts/billing';
import { invalid } from '#connectors/contracts/wire';
import type { HostedPayments, PaymentEvent, PaymentReceipt } from './payments.ts';
import type { CheckoutSession } from './store.ts';

export interface StripeCredentials {
  /** `sk_...` or a restricted `rk_...` key (Checkout Sessions: write, Subscriptions: write). */
  apiKey: string;
  /** The webhook endpoint's signing secret, `whsec_...`. */
  webhookSecret: string;
}

export interface StripeOptions {
  /** Resolved on first use and kept for the container's life. */
  credentials: () => Promise<StripeCredentials>;
  /** The Stripe price of each plan sold; a plan without one cannot be bought. */
  priceIds: Partial<Record<PaidPlan, string>>;
  /** Another API endpoint than api.stripe.com (a local stand-in such as `http://127.0.0.1:12111`; plain http only to loopback). */
  apiBase?: string;
}

/** Billing's own service deadline is 8 s: one try of 3 s, one retry, and time left to answer. */
const STRIPE_TIMEOUT_MS = 3_000;
const STRIPE_RETRIES = 1;
/** Stripe's session closes this long before Billing's, so every payment Stripe takes finds Billing's session open. */
const EXPIRY_MARGIN_SECONDS = 300;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** The events that mean a checkout was paid (cards: completed; bank debits: the asynchronous success that follows). */
const PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/** host, port and protocol of the SDK for `apiBase`; throws naming the setting when it is not a usable URL. */
export function stripeEndpoint(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error(`Setting STRIPE_API_BASE must be a URL such as http://127.0.0.1:12111, not "${apiBase}"`);
  }
  const protocol = url.protocol.slice(0, -1);
  if (protocol !== 'https' && !(protocol === 'http' && LOOPBACK.test(url.hostname))) {
    throw new Error(`Setting STRIPE_API_BASE must be https (or http to a loopback address), not "${apiBase}"`);
  }
  return { host: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), protocol: protocol as 'http' | 'https' };
}

/** Checks what a secret or the settings hold, so a placeholder or a swapped value fails with a clear message. */
export function checkCredentials(value: Partial<StripeCredentials>, source: string): StripeCredentials {
  const { apiKey, webhookSecret } = value;
  if (typeof apiKey !== 'string' || !/^(sk|rk)_\S+$/.test(apiKey)) {
    throw new Error(`${source}: apiKey must be a Stripe secret or restricted key (sk_... or rk_...); replace the placeholder (README, "Payments with Stripe")`);
  }
  if (typeof webhookSecret !== 'string' || !/^whsec_\S+$/.test(webhookSecret)) {
    throw new Error(`${source}: webhookSecret must be the webhook endpoint's signing secret (whsec_...); replace the placeholder (README, "Payments with Stripe")`);
  }
  return { apiKey, webhookSecret };
}

/** Keeps the first value `load` gives; a failed load is tried again on the next call. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

/**
 * The credentials in a Secrets Manager secret holding `{ "apiKey": "...", "webhookSecret": "..." }`,
 * read once per container (the stack creates it with placeholders that the operator replaces).
 */
export function secretCredentials(secretArn: string, client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({})): () => Promise<StripeCredentials> {
  return once(async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    let value: Partial<StripeCredentials>;
    try {
      value = JSON.parse(SecretString ?? '') as Partial<StripeCredentials>;
    } catch {
      throw new Error(`Secret ${secretArn}: expected JSON { "apiKey": "...", "webhookSecret": "..." }`);
    }
    return checkCredentials(value ?? {}, `Secret ${secretArn}`);
  });
}

const idOf = (value: string | { id: string } | null | undefined): string | undefined => (value == null ? undefined : typeof value === 'string' ? value : value.id);
const receiptOf = (session: Stripe.Checkout.Session): PaymentReceipt => {
  const providerSubscriptionId = idOf(session.subscription);
  return providerSubscriptionId === undefined ? {} : { providerSubscriptionId };
};
const isPaid = (session: Stripe.Checkout.Session) => session.payment_status === 'paid' || session.payment_status === 'no_payment_required';

/** The SDK, evaluated on first use only: a stack with another provider does not pay for it at cold start. */
const loadSdk = once(async () => (await import('stripe')).default);

export function stripePayments({ credentials, priceIds, apiBase }: StripeOptions): HostedPayments {
  const endpoint = apiBase === undefined ? {} : stripeEndpoint(apiBase);
  const client = once(async () => {
    const [{ apiKey }, StripeSdk] = await Promise.all([credentials(), loadSdk()]);
    return new StripeSdk(apiKey, {
      ...endpoint,
      timeout: STRIPE_TIMEOUT_MS,
      maxNetworkRetries: STRIPE_RETRIES,
      telemetry: false,
      appInfo: { name: 'mozaiks-platform' },
    });
  });

  return {
    async openCheckout({ tenantId, session }) {
      const price = priceIds[session.plan as PaidPlan];
      if (price === undefined) throw invalid(`plan: ${session.plan} is not sold online`, { issues: [{ field: 'plan', message: 'not sold online' }] });
      // Read back from the verified webhook event: the tenant, the scope and Billing's own session.
      const metadata: Record<string, string> = {
        tenantId,
        scope: session.scope,
        ...(session.appId !== undefined && { appId: session.appId }),
        checkoutSessionId: session.sessionId,
      };
      const stripe = await client();
      const created = await stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          line_items: [{ price, quantity: 1 }],
          success_url: session.successUrl,
          cancel_url: session.cancelUrl,
          client_reference_id: tenantId,
          metadata,
          subscription_data: { metadata },
          expires_at: Math.floor(Date.parse(session.expiresAt) / 1000) - EXPIRY_MARGIN_SECONDS,
        },
        // A retried request (the SDK's or ours) opens no second session.
        { idempotencyKey: `mozaiks-checkout-${session.sessionId}` },
      );
      if (!created.url) throw new Error(`Stripe answered checkout session ${created.id} without a url`);
      return { url: created.url, providerSessionId: created.id };
    },

    async confirmPayment(session: CheckoutSession) {
      if (session.providerSessionId === undefined) return false;
      const found = await (await client()).checkout.sessions.retrieve(session.providerSessionId);
      const ours = found.metadata?.['checkoutSessionId'] === session.sessionId;
      return ours && found.status === 'complete' && isPaid(found) ? receiptOf(found) : false;
    },

    async cancelAtPeriodEnd(providerSubscriptionId) {
      await (await client()).subscriptions.update(providerSubscriptionId, { cancel_at_period_end: true });
    },

    async verifyEvent(payload, signature, receivedAt): Promise<PaymentEvent> {
      const [{ webhookSecret }, stripe] = await Promise.all([credentials(), client()]);
      let event: Stripe.Event;
      try {
        // The default tolerance (300 s): an older signature is refused, so a captured delivery cannot be replayed later.
        event = stripe.webhooks.constructEvent(payload, signature, webhookSecret, undefined, undefined, receivedAt.getTime());
      } catch (error) {
        const message = error instanceof stripe.errors.StripeSignatureVerificationError ? (error.message.split('\n')[0] ?? 'invalid').trim() : 'the payload is not a Stripe event';
        throw invalid(`Stripe-Signature: ${message}`, { issues: [{ field: 'Stripe-Signature', message }] });
      }
      const { id: eventId, type } = event;
      if (!PAID_EVENTS.has(type)) return { kind: 'ignored', eventId, type, reason: 'not an event Billing acts on' };
      const checkout = event.data.object as Stripe.Checkout.Session;
      // Bank debits complete the checkout unpaid; their async_payment_succeeded event follows.
      if (!isPaid(checkout)) return { kind: 'ignored', eventId, type, reason: 'not paid yet' };
      const tenantId = checkout.client_reference_id;
      const sessionId = checkout.metadata?.['checkoutSessionId'];
      if (!tenantId || !sessionId || checkout.metadata?.['tenantId'] !== tenantId) return { kind: 'ignored', eventId, type, reason: 'not a checkout Billing opened' };
      return {
        kind: 'checkout_paid',
        eventId,
        type,
        tenantId,
        sessionId,
        providerSessionId: checkout.id,
        ...receiptOf(checkout),
        paidAt: new Date(event.created * 1000).toISOString(),
      };
    },
  };
}
