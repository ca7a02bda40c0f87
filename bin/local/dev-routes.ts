// Local-only endpoints that stand in for things outside the platform: the token issuer and its JWKS,
// DNS (TXT records for domain verification), the payment provider's confirmation page, and a way to
// fast-forward a tenant's metered usage. None of these exist on AWS.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import type { ConnectorBundle } from '#connectors/loader';
import type { UiConfig } from '#connectors/contracts/ui-config';
import { parseOrThrow } from '#connectors/contracts/schema';
import { PlatformError, systemContext } from '#connectors/contracts/wire';
import type { createExecuteHandler } from '#functions/execute/runtime';
import { devTokenRequestSchema, type DevIssuer } from './dev-issuer.ts';
import { escapeHtml as escape, writeResult } from './http-adapter.ts';

const tenantId = () => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const devDnsSchema = z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(253)), values: z.array(z.string().check(z.maxLength(255))) });
const devUsageSchema = z.strictObject({ tenantId: tenantId(), amount: z.int().check(z.minimum(1), z.maximum(100_000_000)) });
const checkoutSchema = z.object({ tenant: tenantId(), session: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)) });

export interface DevRoutesDeps {
  issuer: DevIssuer;
  audience: string;
  connectors: ConnectorBundle;
  execute: ReturnType<typeof createExecuteHandler>;
  dnsFile: string;
  /** What `/config.json` answers: which sign-in the UIs use. */
  signInConfig: UiConfig;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  writeResult(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const html = (res: ServerResponse, status: number, body: string) =>
  writeResult(res, { statusCode: status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8') || 'null');
  } catch {
    throw new PlatformError('VALIDATION_FAILED', 'body: not valid JSON');
  }
}

/** Returns a handler that answers the dev routes and reports whether it did. */
export function createDevRoutes({ issuer, audience, connectors, execute, dnsFile, signInConfig }: DevRoutesDeps) {
  const system = (tenant: string, purpose: string) => systemContext(tenant, purpose, randomUUID());

  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      // The UIs' configuration; on AWS the stack publishes it with the API URL and issuer. Locally the API
      // is this origin and sign-in is the dev form, or the OIDC stand-in (MOZAIKS_SIGN_IN=oidc).
      case 'GET /config.json':
        json(res, 200, signInConfig);
        return true;
      case 'GET /.well-known/jwks.json':
        json(res, 200, issuer.jwks);
        return true;
      case 'POST /dev/token': {
        const request = parseOrThrow(devTokenRequestSchema, parseJson(body), 'body');
        json(res, 200, { token: issuer.sign({ ...request, audience }), expiresInSeconds: request.expiresInSeconds ?? 3600 });
        return true;
      }
      case 'POST /dev/dns': {
        const { name, values } = parseOrThrow(devDnsSchema, parseJson(body), 'body');
        const records = JSON.parse(await readFile(dnsFile, 'utf8').catch(() => '{}')) as Record<string, string[]>;
        records[name.toLowerCase()] = values;
        await writeFile(dnsFile, JSON.stringify(records, null, 2));
        json(res, 200, { name: name.toLowerCase(), values });
        return true;
      }
      case 'POST /dev/usage': {
        const { tenantId: tenant, amount } = parseOrThrow(devUsageSchema, parseJson(body), 'body');
        const recorded = await connectors.billing.recordUsage(system(tenant, 'dev-usage'), { metric: 'api_calls', amount });
        execute.access.invalidate(tenant, 'plan');
        json(res, 200, recorded);
        return true;
      }
      case 'GET /dev/checkout': {
        const { tenant, session } = parseOrThrow(checkoutSchema, Object.fromEntries(url.searchParams), 'query');
        html(res, 200, `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>Local payment</title>
<body style="font-family: system-ui; max-width: 32rem; margin: 4rem auto">
<h1>Local payment provider</h1>
<p>Checkout session <code>${escape(session)}</code> of tenant <code>${escape(tenant)}</code>.
This stand-in approves every payment; no money moves.</p>
<form method="post" action="/dev/checkout/confirm">
<input type="hidden" name="tenant" value="${escape(tenant)}"><input type="hidden" name="session" value="${escape(session)}">
<button type="submit">Confirm payment</button></form></body></html>`);
        return true;
      }
      case 'POST /dev/checkout/confirm': {
        const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
        const { tenant, session } = parseOrThrow(checkoutSchema, form, 'form');
        // The provider's confirmation reaches Billing directly, as a webhook would.
        const { subscription, invoice } = await connectors.billing.completeCheckout(system(tenant, 'local-payments'), { sessionId: session });
        execute.access.invalidate(tenant, 'plan');
        if ((req.headers.accept ?? '').includes('application/json')) json(res, 200, { subscription, invoice });
        else html(res, 200, `<!doctype html><meta charset="utf-8"><title>Paid</title><p>Payment confirmed: plan <b>${escape(subscription.plan)}</b>, invoice <code>${escape(invoice.id)}</code>.</p>`);
        return true;
      }
      default:
        return false;
    }
  };
}
