// The Stripe webhook's exactly-once completion on both tables: DynamoDB's transactions can meet each
// other (TransactionConflict) where the memory table never does. The full story is in
// test/unit/stripe-billing.test.ts; this runs its core over DynamoDB Local too.
import { afterAll, describe, expect, it } from 'vitest';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createHarness } from '../support/execute-harness.ts';
import { TABLE_KINDS, newTenant, tableOf } from '../support/contract-kit.ts';
import { signatureOf, startStripeStandIn, stripeEvent } from '../support/stripe-stand-in.ts';

const SECRET = 'whsec_contract';
const stripe = await startStripeStandIn();
afterAll(() => stripe.close());

describe.each(TABLE_KINDS)('Stripe webhook over the %s table', (kind) => {
  it('completes a paid checkout once however many deliveries race, and a redelivery changes nothing', async () => {
    const connectors = await createInProcessConnectors({
      table: (name) => tableOf(kind, name),
      settings: { PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'sk_test_contract', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_PRICE_IDS: 'business:price_business', STRIPE_API_BASE: stripe.apiBase },
    });
    const { call, token } = createHarness(connectors);
    const headers = { authorization: `Bearer ${token(newTenant(), ['owner'])}` };
    const admin = (body: Record<string, unknown>) => call({ path: '/api/execute/moz.platform.admin', headers, body });

    const { sessionId } = (await admin({ action: 'create_checkout', plan: 'business', successUrl: 'https://a.example.com/ok', cancelUrl: 'https://a.example.com/no' })).json.data;
    const opened = [...stripe.sessions.values()].find((session) => session.metadata['checkoutSessionId'] === sessionId)!;
    const payload = stripeEvent('checkout.session.completed', stripe.pay(opened.id));
    const deliver = () => call({ path: '/api/billing/webhook', rawBody: payload, headers: { 'stripe-signature': signatureOf(payload, SECRET) } });

    const answers = await Promise.all(Array.from({ length: 5 }, deliver));
    // A delivery that met a concurrent transaction may answer 409 (Stripe delivers it again later); none completes twice.
    expect(answers.filter((a) => a.json.data?.outcome === 'completed')).toHaveLength(1);
    for (const answer of answers) expect([200, 409], JSON.stringify(answer.json)).toContain(answer.status);
    const invoices = (await admin({ action: 'list_invoices' })).json.data.items;
    expect(invoices).toHaveLength(1);

    const again = await deliver();
    expect(again.status).toBe(200);
    expect(again.json.data.outcome).toBe('already_completed');
    expect((await admin({ action: 'list_invoices' })).json.data.items).toEqual(invoices);
    expect((await admin({ action: 'get_subscription' })).json.data).toMatchObject({ plan: 'business', effectivePlan: 'business' });
  });
});
