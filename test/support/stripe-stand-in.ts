// A local stand-in for the Stripe API that the real SDK is pointed at (STRIPE_API_BASE): it answers
// the calls Billing makes with Stripe-shaped JSON and records each request (form parameters as Stripe
// receives them, e.g. `line_items[0][price]`), and builds webhook events signed as Stripe signs them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The form body, flat: `metadata[tenantId]` -> value. */
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export interface StandInSession {
  id: string;
  object: 'checkout.session';
  url: string;
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  client_reference_id: string | null;
  metadata: Record<string, string>;
  subscription: string | null;
  success_url: string;
  cancel_url: string;
  expires_at: number;
}

const metadataOf = (params: Record<string, string>, prefix = 'metadata') =>
  Object.fromEntries(
    Object.entries(params)
      .filter(([key]) => key.startsWith(`${prefix}[`))
      .map(([key, value]) => [key.slice(prefix.length + 1, -1), value]),
  );

export async function startStripeStandIn() {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, StandInSession>();
  let next = 0;
  /** When set, every call answers this status with a Stripe error body. */
  let failWith: number | undefined;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++next}` });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      requests.push({ method: req.method ?? '', path: url.pathname, params, headers: req.headers });
      if (failWith !== undefined) return send(res, failWith, { error: { type: 'api_error', message: 'stand-in failure' } });

      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        const id = `cs_test_${String(++next).padStart(6, '0')}`;
        const session: StandInSession = {
          id,
          object: 'checkout.session',
          url: `https://checkout.stripe.test/c/pay/${id}`,
          mode: params['mode'] ?? '',
          status: 'open',
          payment_status: 'unpaid',
          client_reference_id: params['client_reference_id'] ?? null,
          metadata: metadataOf(params),
          subscription: null,
          success_url: params['success_url'] ?? '',
          cancel_url: params['cancel_url'] ?? '',
          expires_at: Number(params['expires_at']),
        };
        sessions.set(id, session);
        return send(res, 200, session);
      }
      const session = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && session) {
        const found = sessions.get(session[1]!);
        return found ? send(res, 200, found) : send(res, 404, { error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
      }
      const subscription = /^\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'POST' && subscription) {
        return send(res, 200, { id: subscription[1], object: 'subscription', status: 'active', cancel_at_period_end: params['cancel_at_period_end'] === 'true' });
      }
      return send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname})` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiBase: `http://127.0.0.1:${port}`,
    requests,
    sessions,
    /** Stripe has taken the payment for a session: what the customer does on the checkout page. */
    pay(id: string, subscription = `sub_${id.slice('cs_test_'.length)}`): StandInSession {
      const found = sessions.get(id);
      if (!found) throw new Error(`the stand-in opened no session ${id}`);
      Object.assign(found, { status: 'complete', payment_status: 'paid', subscription });
      return found;
    },
    failNextCalls(status: number | undefined) {
      failWith = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook event as Stripe sends it: pretty-printed JSON (so a re-serialised body would not match its signature). */
export function stripeEvent(type: string, object: object, created = Math.floor(Date.now() / 1000)): string {
  const event = { id: `evt_${Math.random().toString(36).slice(2, 14)}`, object: 'event', api_version: Stripe.API_VERSION, created, data: { object }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
  return JSON.stringify(event, null, 2);
}

/** The Stripe-Signature header Stripe would send for `payload` (timestamp in seconds; default now). */
export const signatureOf = (payload: string, secret: string, timestamp?: number): string => Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined && { timestamp }) });
