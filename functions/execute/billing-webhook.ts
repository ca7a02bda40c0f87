// POST /api/billing/webhook: the payment provider's (Stripe's) event deliveries. No JWT or app key:
// the credential is the `Stripe-Signature` header over the raw body, which Billing verifies (it holds
// the signing secret and the SDK; this bundle carries neither). The body reaches it byte for byte: the
// runtime's JSON parser skips this route (`keepsRawBody`). Answers 200 for an event Billing completed,
// had completed already or ignores, 400 for a delivery that is not genuine (Stripe does not retry
// those), and 409/5xx for one worth retrying (Stripe retries with backoff for up to 3 days).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { PAYMENT_WEBHOOK_PATH, PAYMENT_WEBHOOK_TENANT } from '#connectors/contracts/billing';
import { PlatformError, systemContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { correlationIdFrom, success } from './envelope.ts';

export const BILLING_WEBHOOK_PATH = PAYMENT_WEBHOOK_PATH;
/** As the header normalizer leaves it (lower case). */
const SIGNATURE_HEADER = 'stripe-signature';

/** Whether the route wants its body as sent (signatures are over the exact bytes): the webhook. */
export const keepsRawBody = (event: APIGatewayProxyEventV2): boolean =>
  event.requestContext?.http?.method === 'POST' && event.requestContext.http.path === BILLING_WEBHOOK_PATH;

const refused = (field: string, message: string) => new PlatformError('VALIDATION_FAILED', `${field}: ${message}`, { issues: [{ field, message }] });

export function createBillingWebhook(connectors: Pick<ConnectorBundle, 'billing'>) {
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const correlationId = correlationIdFrom(context);
    const signature = event.headers[SIGNATURE_HEADER];
    if (!signature) throw refused('Stripe-Signature', 'header missing');
    if (typeof event.body !== 'string' || event.body.length === 0) throw refused('(body)', 'empty');
    const payload = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    // No tenant yet: Billing takes it from the event once the signature holds.
    const result = await connectors.billing.receivePaymentEvent(systemContext(PAYMENT_WEBHOOK_TENANT, 'payment-webhook', correlationId), { payload, signature });
    return success(result, correlationId);
  };
}
