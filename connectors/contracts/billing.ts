// The Billing wire contract: subscriptions, plan entitlements, usage metering, checkout, invoices.
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput, webUrl } from './schema.ts';
import { FEATURES, LIMITS, PLAN_TIERS, type PlanTier } from './plans.ts';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'canceled', 'inactive'] as const;
export const METRICS = ['api_calls'] as const;
/** The plans a checkout can sell (every tier but free). */
export const PAID_PLANS = ['starter', 'premium', 'business', 'enterprise'] as const satisfies readonly PlanTier[];
export type PaidPlan = (typeof PAID_PLANS)[number];

/** The payment provider's webhook route (execute runtime; the stack routes it only with `stripe`). */
export const PAYMENT_WEBHOOK_PATH = '/api/billing/webhook';
/** The tenant of the payment webhook's service context: none until Billing has verified the event (it names the tenant). */
export const PAYMENT_WEBHOOK_TENANT = 'system:payment-webhook';

const STRIPE_PRICE_ID = /^price_[A-Za-z0-9]{1,200}$/;
/**
 * Stripe price ids by plan, from `starter:price_123,premium:price_456` (the stack's `stripePriceIds`
 * context and Billing's `STRIPE_PRICE_IDS` setting). Throws naming `what` and the bad entry: an unknown
 * or repeated plan, or a value that is not a Stripe price id.
 */
export function parsePriceIds(raw: string, what: string): Partial<Record<PaidPlan, string>> {
  const prices: Partial<Record<PaidPlan, string>> = {};
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const at = entry.indexOf(':');
    if (at < 0) throw new Error(`${what}: expected plan:price_id pairs such as starter:price_123, got "${entry}"`);
    const plan = entry.slice(0, at).trim();
    const price = entry.slice(at + 1).trim();
    if (!(PAID_PLANS as readonly string[]).includes(plan)) throw new Error(`${what}: "${plan}" is not a paid plan; the plans are ${PAID_PLANS.join(', ')}`);
    if (Object.hasOwn(prices, plan)) throw new Error(`${what}: plan ${plan} is given twice`);
    if (!STRIPE_PRICE_ID.test(price)) throw new Error(`${what}: the price of ${plan} must be a Stripe price id (price_...), got "${price}"`);
    prices[plan as PaidPlan] = price;
  }
  return prices;
}

const scope = () => z._default(z.enum(['platform', 'app']), 'platform');
const limit = () => z.nullable(z.int());

export const subscription = lazy(() => z.object({
  scope: z.enum(['platform', 'app']),
  appId: z.optional(z.string()),
  plan: z.enum(PLAN_TIERS),
  status: z.enum(SUBSCRIPTION_STATUSES),
  /** The plan that applies now, after grace periods and cancellation. */
  effectivePlan: z.enum(PLAN_TIERS),
  currentPeriodStart: z.optional(isoTime()),
  currentPeriodEnd: z.optional(isoTime()),
  cancelAtPeriodEnd: z.boolean(),
  pastDueSince: z.optional(isoTime()),
}));
export type Subscription = z.output<ReturnType<typeof subscription>>;

export const invoice = lazy(() => z.object({
  id: z.string(),
  amountCents: z.int(),
  currency: z.string(),
  status: z.enum(['paid', 'open', 'void']),
  plan: z.enum(PLAN_TIERS),
  createdAt: isoTime(),
}));
export type Invoice = z.output<ReturnType<typeof invoice>>;

export const entitlements = lazy(() => z.object({
  plan: z.enum(PLAN_TIERS),
  features: z.array(z.enum(FEATURES)),
  limits: z.object({ apps: limit(), domains: limit(), team_members: limit(), api_calls: limit() }),
  usage: z.object({ api_calls: z.int() }),
  periodStart: isoTime(),
  periodEnd: isoTime(),
}));
export type Entitlements = z.output<ReturnType<typeof entitlements>>;

const featureCheck = lazy(() => z.object({
  feature: z.string(),
  allowed: z.boolean(),
  limit: z.nullable(z.int()),
  usage: z.nullable(z.int()),
  reason: z.optional(z.string()),
}));
const featureOrLimit = () => z.enum([...FEATURES, ...LIMITS]);

export const billingContract = defineContract({
  getSubscription: () => ({ input: z.strictObject({ scope: scope(), appId: z.optional(id()) }), output: subscription() }),
  /** The runtime's call on a cache miss: effective plan, features, limits and this month's api_calls. */
  getEntitlements: () => ({ input: z.strictObject({}), output: entitlements() }),
  checkFeature: () => ({ input: z.strictObject({ feature: featureOrLimit() }), output: featureCheck() }),
  checkFeatures: () => ({
    input: z.strictObject({ features: z.array(featureOrLimit()).check(z.minLength(1), z.maxLength(20)) }),
    output: z.object({ results: z.record(z.string(), featureCheck()) }),
  }),
  getUsage: () => ({
    input: z.strictObject({ period: z._default(z.enum(['current', 'last_month', 'all_time']), 'current') }),
    output: z.object({
      periodStart: z.optional(isoTime()),
      periodEnd: z.optional(isoTime()),
      metrics: z.record(z.string(), z.object({ used: z.int(), limit: z.nullable(z.int()), percentage: z.nullable(z.number()) })),
    }),
  }),
  recordUsage: () => ({
    input: z.strictObject({ metric: z.enum(METRICS), amount: z.int().check(z.minimum(1), z.maximum(1_000_000)), at: z.optional(isoTime()) }),
    output: z.object({ metric: z.string(), used: z.int() }),
  }),
  createCheckout: () => ({
    input: z.strictObject({
      scope: scope(),
      appId: z.optional(id()),
      plan: z.enum(PAID_PLANS),
      successUrl: webUrl(),
      cancelUrl: webUrl(),
    }),
    output: z.object({ checkoutUrl: z.string(), sessionId: z.string() }),
  }),
  /** The payment provider's confirmation: activates the plan and writes the invoice, once. */
  completeCheckout: () => ({ input: z.strictObject({ sessionId: id() }), output: z.object({ subscription: subscription(), invoice: invoice() }) }),
  cancelSubscription: () => ({
    input: z.strictObject({ scope: scope(), appId: z.optional(id()), reason: z.optional(z.string().check(z.maxLength(500))) }),
    output: z.object({ cancelAt: isoTime() }),
  }),
  listInvoices: () => ({ input: z.strictObject(pageInput), output: page(invoice()) }),
  /**
   * The payment provider's webhook (execute's `POST /api/billing/webhook`, no credential): the raw
   * body and its signature header. Billing verifies the signature before anything else (a bad one is
   * VALIDATION_FAILED); the tenant is the one the verified event names, not the context's
   * (PAYMENT_WEBHOOK_TENANT). A paid checkout is completed once however often it is delivered;
   * events Billing does not act on are `ignored`. Serves only the runtime: no action exposes it.
   */
  receivePaymentEvent: () => ({
    input: z.strictObject({ payload: z.string().check(z.minLength(1), z.maxLength(1024 * 1024)), signature: z.string().check(z.minLength(1), z.maxLength(4096)) }),
    output: z.object({ eventId: z.string(), type: z.string(), outcome: z.enum(['completed', 'already_completed', 'ignored']) }),
  }),
});

export type BillingContract = typeof billingContract;
