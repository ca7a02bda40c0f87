// The `stripe` payment provider end to end, without the network: the real execute handler (admin
// plugin and the webhook route), the real Billing service over a memory table, and the official SDK
// pointed at a local Stripe stand-in. Webhook deliveries are signed the way Stripe signs them.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createService } from '#functions/services/billing/service';
import { secretCredentials, stripeEndpoint } from '#functions/services/billing/stripe';
import { createLogger } from '#functions/shared/logger';
import { createMemoryTable } from '#functions/shared/memory-table';
import { createHarness } from '../support/execute-harness.ts';
import { signatureOf, startStripeStandIn, stripeEvent, type StandInSession } from '../support/stripe-stand-in.ts';

const API_KEY = 'sk_test_standin';
const WEBHOOK_SECRET = 'whsec_standin';
const ADMIN = '/api/execute/moz.platform.admin';
const HOSTING = '/api/execute/moz.platform.hosting';
const WEBHOOK = '/api/billing/webhook';
const urls = { successUrl: 'https://app.example.com/billing/done', cancelUrl: 'https://app.example.com/billing' };

const stripe = await startStripeStandIn();
afterAll(() => stripe.close());
const settings = {
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_API_KEY: API_KEY,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_PRICE_IDS: 'starter:price_starter,premium:price_premium,business:price_business',
  STRIPE_API_BASE: stripe.apiBase,
};
const { call, token } = createHarness(await createInProcessConnectors({ settings }));

let tenantCount = 0;
/** A fresh tenant and its owner (the only role with manage:billing). */
function owner() {
  const tenantId = `stripe-${++tenantCount}-${Date.now().toString(36)}`;
  const headers = { authorization: `Bearer ${token(tenantId, ['owner'], `owner-${tenantCount}`)}` };
  const admin = (body: Record<string, unknown>) => call({ path: ADMIN, headers, body });
  return { tenantId, headers, admin };
}

/** Starts a checkout through the admin plugin and answers Billing's session and the stand-in's. */
async function checkout(admin: ReturnType<typeof owner>['admin'], plan = 'premium', scope: Record<string, string> = {}) {
  const answer = await admin({ action: 'create_checkout', plan, ...urls, ...scope });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  const opened = [...stripe.sessions.values()].find((session) => session.metadata['checkoutSessionId'] === answer.json.data.sessionId);
  if (!opened) throw new Error('no Stripe session was opened');
  return { sessionId: answer.json.data.sessionId as string, checkoutUrl: answer.json.data.checkoutUrl as string, opened };
}

/** The event Stripe sends when the customer has paid `session`. */
const completedEvent = (session: StandInSession, created?: number) => stripeEvent('checkout.session.completed', stripe.pay(session.id), created);

const deliver = (payload: string, signature: string | undefined, contentType = 'application/json; charset=utf-8') =>
  call({ path: WEBHOOK, rawBody: payload, headers: { 'content-type': contentType, ...(signature !== undefined && { 'stripe-signature': signature }) } });

/** What a tenant's billing looks like from outside: its subscription and its invoices. */
async function billingOf(admin: ReturnType<typeof owner>['admin']) {
  const [subscription, invoices] = await Promise.all([admin({ action: 'get_subscription' }), admin({ action: 'list_invoices' })]);
  return { subscription: subscription.json.data, invoices: invoices.json.data.items as { id: string; plan: string }[] };
}

beforeEach(() => {
  stripe.failNextCalls(undefined);
});

describe('create_checkout with Stripe', () => {
  it("opens a Stripe Checkout Session for the plan's price and answers its url", async () => {
    const { tenantId, admin } = owner();
    const before = stripe.requests.length;
    const { sessionId, checkoutUrl, opened } = await checkout(admin, 'premium');
    expect(checkoutUrl).toBe(opened.url);
    expect(checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);

    const sent = stripe.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/checkout/sessions']);
    const [request] = sent;
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers['idempotency-key']).toBe(`mozaiks-checkout-${sessionId}`);
    expect(request!.params).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': 'price_premium',
      'line_items[0][quantity]': '1',
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      client_reference_id: tenantId,
      'metadata[tenantId]': tenantId,
      'metadata[scope]': 'platform',
      'metadata[checkoutSessionId]': sessionId,
      'subscription_data[metadata][tenantId]': tenantId,
      'subscription_data[metadata][checkoutSessionId]': sessionId,
    });
    expect(request!.params['metadata[appId]']).toBeUndefined();
    // Stripe's session closes before Billing's (24 h), so a payment it takes always finds Billing's open.
    const closesIn = Number(request!.params['expires_at']) * 1000 - Date.now();
    expect(closesIn).toBeGreaterThan(23 * 3_600_000);
    expect(closesIn).toBeLessThan(24 * 3_600_000);
  });

  it("carries an app's scope and id in the metadata", async () => {
    const { admin, headers } = owner();
    const app = await call({ path: HOSTING, headers, body: { action: 'create_app', name: 'Shop', slug: `shop-${tenantCount}` } });
    const appId = app.json.data.appId as string;
    const { opened } = await checkout(admin, 'starter', { scope: 'app', appId });
    expect(opened.metadata).toMatchObject({ scope: 'app', appId });
    expect(stripe.requests.at(-1)!.params['line_items[0][price]']).toBe('price_starter');
  });

  it('refuses a plan without a Stripe price without asking Stripe, and answers 503 when Stripe fails', async () => {
    const { admin } = owner();
    const before = stripe.requests.length;
    const unsold = await admin({ action: 'create_checkout', plan: 'enterprise', ...urls });
    expect(unsold.status).toBe(400);
    expect(unsold.json.error.details.issues[0].field).toBe('plan');
    expect(stripe.requests.length).toBe(before);

    stripe.failNextCalls(500);
    const down = await admin({ action: 'create_checkout', plan: 'starter', ...urls });
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('the Stripe webhook', () => {
  it('completes the checkout on the first delivery: plan active, one invoice', async () => {
    const { admin } = owner();
    const { opened } = await checkout(admin, 'premium');
    const payload = completedEvent(opened);

    const first = await deliver(payload, signatureOf(payload, WEBHOOK_SECRET));
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.data).toMatchObject({ type: 'checkout.session.completed', outcome: 'completed' });
    const after = await billingOf(admin);
    expect(after.subscription).toMatchObject({ plan: 'premium', status: 'active', effectivePlan: 'premium', cancelAtPeriodEnd: false });
    expect(after.invoices).toHaveLength(1);
    expect(after.invoices[0]).toMatchObject({ plan: 'premium', status: 'paid', amountCents: 4_900 });

    // Stripe retries: the same delivery again answers 200 and changes nothing.
    const again = await deliver(payload, signatureOf(payload, WEBHOOK_SECRET));
    expect(again.status).toBe(200);
    expect(again.json.data.outcome).toBe('already_completed');
    expect(await billingOf(admin)).toEqual(after);
  });

  it('completes exactly once under 5 parallel deliveries of the same event', async () => {
    const { admin } = owner();
    const { opened } = await checkout(admin, 'business');
    const payload = completedEvent(opened);
    const signature = signatureOf(payload, WEBHOOK_SECRET);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(payload, signature)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.json.data.outcome).sort()).toEqual(['already_completed', 'already_completed', 'already_completed', 'already_completed', 'completed']);
    const { subscription, invoices } = await billingOf(admin);
    expect(subscription.effectivePlan).toBe('business');
    expect(invoices).toHaveLength(1);
  });

  it('answers 400 and changes nothing for a forged signature, a wrong secret, an old timestamp or no header', async () => {
    const { admin } = owner();
    const { opened } = await checkout(admin, 'premium');
    const payload = completedEvent(opened);
    const now = Math.floor(Date.now() / 1000);
    const genuine = signatureOf(payload, WEBHOOK_SECRET);
    const tampered = payload.replace('"paid"', '"paid" ');
    const refusals = {
      'a forged signature': await deliver(payload, genuine.replace(/v1=[0-9a-f]+/, `v1=${'0'.repeat(64)}`)),
      'a body changed after signing': await deliver(tampered, genuine),
      'the wrong secret': await deliver(payload, signatureOf(payload, 'whsec_someone_else')),
      'a timestamp 10 minutes old': await deliver(payload, signatureOf(payload, WEBHOOK_SECRET, now - 600)),
      'no Stripe-Signature header': await deliver(payload, undefined),
      'an empty Stripe-Signature header': await deliver(payload, ''),
    };
    for (const [what, answer] of Object.entries(refusals)) {
      expect(answer.status, what).toBe(400);
      expect(answer.json.error.code, what).toBe('VALIDATION_FAILED');
      expect(answer.json.error.message, what).toMatch(/^Stripe-Signature: /);
    }
    const untouched = await billingOf(admin);
    expect(untouched.subscription).toMatchObject({ plan: 'free', effectivePlan: 'free' });
    expect(untouched.invoices).toEqual([]);

    // Within the tolerance (4 minutes old) the same event is genuine and completes the still-open session.
    const late = await deliver(payload, signatureOf(payload, WEBHOOK_SECRET, now - 240));
    expect(late.json.data?.outcome).toBe('completed');
  });

  it('hands the body to the signature check byte for byte, whatever its content type or encoding', async () => {
    const { admin } = owner();
    const { opened } = await checkout(admin, 'starter');
    const payload = completedEvent(opened);
    // Not valid JSON after the signed bytes would be re-serialised: the raw body must reach Billing.
    expect(JSON.stringify(JSON.parse(payload))).not.toBe(payload);
    const answer = await deliver(payload, signatureOf(payload, WEBHOOK_SECRET), 'application/json');
    expect(answer.json.data?.outcome).toBe('completed');
  });

  it('answers 200 to event types it does not act on, and to checkouts it did not open, and changes nothing', async () => {
    const { admin, tenantId } = owner();
    const { opened } = await checkout(admin, 'premium');
    const invoicePaid = stripeEvent('invoice.paid', { id: 'in_123', object: 'invoice', subscription: 'sub_x', metadata: { tenantId } });
    const unknown = await deliver(invoicePaid, signatureOf(invoicePaid, WEBHOOK_SECRET));
    expect(unknown.status).toBe(200);
    expect(unknown.json.data).toMatchObject({ type: 'invoice.paid', outcome: 'ignored' });

    // A paid session of the same Stripe account that this stack never opened (another stage).
    const foreign = stripeEvent('checkout.session.completed', { ...opened, id: 'cs_test_elsewhere', status: 'complete', payment_status: 'paid', metadata: { ...opened.metadata, checkoutSessionId: 'cs_unknown' } });
    expect((await deliver(foreign, signatureOf(foreign, WEBHOOK_SECRET))).json.data.outcome).toBe('ignored');
    // The right Billing session, but a Stripe session other than the one it opened.
    const swapped = stripeEvent('checkout.session.completed', { ...opened, id: 'cs_test_swapped', status: 'complete', payment_status: 'paid' });
    expect((await deliver(swapped, signatureOf(swapped, WEBHOOK_SECRET))).json.data.outcome).toBe('ignored');
    // Paid by bank debit: completed but not yet paid; the async_payment_succeeded event completes it.
    const pending = stripeEvent('checkout.session.completed', { ...opened, status: 'complete', payment_status: 'unpaid' });
    expect((await deliver(pending, signatureOf(pending, WEBHOOK_SECRET))).json.data.outcome).toBe('ignored');

    expect(await billingOf(admin)).toMatchObject({ subscription: { plan: 'free' }, invoices: [] });
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', stripe.pay(opened.id));
    expect((await deliver(succeeded, signatureOf(succeeded, WEBHOOK_SECRET))).json.data.outcome).toBe('completed');
    expect((await billingOf(admin)).invoices).toHaveLength(1);
  });
});

describe('the Stripe webhook and the checkout expiry', () => {
  it("completes a payment Stripe took before Billing's session expired, however late the event comes, and no later one", async () => {
    let clock = new Date();
    const connectors = await createInProcessConnectors({ settings, adapters: { billing: { now: () => clock } } });
    const late = createHarness(connectors);
    const tenantId = `late-${Date.now().toString(36)}`;
    const headers = { authorization: `Bearer ${late.token(tenantId, ['owner'])}` };
    const admin = (body: Record<string, unknown>) => late.call({ path: ADMIN, headers, body });
    const open = async () => {
      const { sessionId } = (await admin({ action: 'create_checkout', plan: 'premium', ...urls })).json.data;
      return [...stripe.sessions.values()].find((session) => session.metadata['checkoutSessionId'] === sessionId)!;
    };
    const [paidInTime, paidTooLate] = [await open(), await open()];
    const start = Math.floor(clock.getTime() / 1000);
    // Billing's sessions expire after 24 hours; the events arrive 25 hours on (Stripe retried for a while).
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    const deliverAt = (payload: string) =>
      late.call({ path: WEBHOOK, rawBody: payload, headers: { 'stripe-signature': signatureOf(payload, WEBHOOK_SECRET, Math.floor(clock.getTime() / 1000)) } });

    const inTime = completedEvent(paidInTime, start + 23 * 3600);
    expect((await deliverAt(inTime)).json.data.outcome).toBe('completed');
    const tooLate = completedEvent(paidTooLate, start + 24 * 3600 + 60);
    const refused = await deliverAt(tooLate);
    expect(refused.status).toBe(200);
    expect(refused.json.data.outcome).toBe('ignored');
    const invoices = (await admin({ action: 'list_invoices' })).json.data.items;
    expect(invoices).toHaveLength(1);
  });
});

describe('complete_checkout and cancel_subscription with Stripe', () => {
  it('completes only a session Stripe says is paid, and the webhook after it adds nothing', async () => {
    const { admin } = owner();
    const { sessionId, opened } = await checkout(admin, 'premium');
    const unpaid = await admin({ action: 'complete_checkout', sessionId });
    expect(unpaid.status).toBe(409);
    expect(unpaid.json.error.message).toContain('payment not confirmed');
    expect(stripe.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/checkout/sessions/${opened.id}` });
    expect((await billingOf(admin)).invoices).toEqual([]);

    // The customer pays; the success page's complete_checkout arrives before Stripe's webhook.
    const payload = completedEvent(opened);
    expect((await admin({ action: 'complete_checkout', sessionId })).json.data.subscription).toMatchObject({ plan: 'premium', effectivePlan: 'premium' });
    expect((await deliver(payload, signatureOf(payload, WEBHOOK_SECRET))).json.data.outcome).toBe('already_completed');
    expect((await billingOf(admin)).invoices).toHaveLength(1);
  });

  it('cancels the Stripe subscription at its period end too', async () => {
    const { admin } = owner();
    const { opened } = await checkout(admin, 'premium');
    const payload = completedEvent(opened);
    await deliver(payload, signatureOf(payload, WEBHOOK_SECRET));
    const before = stripe.requests.length;

    const canceled = await admin({ action: 'cancel_subscription', reason: 'too expensive' });
    expect(canceled.status).toBe(200);
    const sent = stripe.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: `/v1/subscriptions/${opened.subscription}`, params: { cancel_at_period_end: 'true' } });
    expect((await billingOf(admin)).subscription).toMatchObject({ plan: 'premium', cancelAtPeriodEnd: true, effectivePlan: 'premium' });
    // Already cancelled: nothing more to tell Stripe.
    await admin({ action: 'cancel_subscription' });
    expect(stripe.requests.length).toBe(before + 1);
  });

  it('keeps the subscription unchanged when Stripe cannot cancel (503, retry later)', async () => {
    const { admin } = owner();
    const { opened } = await checkout(admin, 'starter');
    const payload = completedEvent(opened);
    await deliver(payload, signatureOf(payload, WEBHOOK_SECRET));
    stripe.failNextCalls(500);
    const failed = await admin({ action: 'cancel_subscription' });
    expect(failed.status).toBe(503);
    stripe.failNextCalls(undefined);
    expect((await billingOf(admin)).subscription.cancelAtPeriodEnd).toBe(false);
  });
});

describe('Stripe settings and secret', () => {
  const build = (extra: Record<string, string | undefined>) => () =>
    createService({ table: createMemoryTable(), logger: createLogger('billing'), settings: { ...settings, ...extra } });

  it('fails the cold start naming a missing or mistyped setting', () => {
    expect(build({ STRIPE_PRICE_IDS: undefined })).toThrow(/Setting STRIPE_PRICE_IDS is required/);
    expect(build({ STRIPE_PRICE_IDS: 'premum:price_1' })).toThrow(/STRIPE_PRICE_IDS: "premum" is not a paid plan/);
    expect(build({ STRIPE_API_KEY: 'pk_test_publishable' })).toThrow(/apiKey must be a Stripe secret or restricted key/);
    expect(build({ STRIPE_WEBHOOK_SECRET: undefined })).toThrow(/Setting STRIPE_WEBHOOK_SECRET is required/);
    expect(build({ STRIPE_API_BASE: 'http://stripe.example.com' })).toThrow(/STRIPE_API_BASE must be https \(or http to a loopback address\)/);
    expect(build({ STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:x', STRIPE_API_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined })).not.toThrow();
    expect(stripeEndpoint('https://api.stripe.com')).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
  });

  it('reads the secret once per container, refuses its placeholder naming it, and tries a failed read again', async () => {
    const secrets = mockClient(SecretsManagerClient);
    try {
      const arn = 'arn:aws:secretsmanager:eu-west-1:123:secret:Mozaiks/stripe-AbCdEf';
      secrets
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify({ apiKey: 'REPLACE_ME', webhookSecret: 'REPLACE_ME' }) })
        .rejectsOnce(new Error('throttled'))
        .resolves({ SecretString: JSON.stringify({ apiKey: 'rk_live_abc', webhookSecret: 'whsec_abc' }) });
      const credentials = secretCredentials(arn, new SecretsManagerClient({ region: 'eu-west-1' }));
      await expect(credentials()).rejects.toThrow(`Secret ${arn}: apiKey must be a Stripe secret or restricted key`);
      await expect(credentials()).rejects.toThrow('throttled');
      expect(await credentials()).toEqual({ apiKey: 'rk_live_abc', webhookSecret: 'whsec_abc' });
      expect(await credentials()).toEqual({ apiKey: 'rk_live_abc', webhookSecret: 'whsec_abc' });
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
      expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: arn });
    } finally {
      secrets.restore();
    }
  });
});
