// A local stand-in for a hosted sign-in (Cognito's managed login, or any OIDC issuer): discovery
// document, an authorization page and a token endpoint for the authorization-code flow with PKCE, so
// the UIs' OIDC sign-in (oauth4webapi) runs the same protocol locally as on AWS. It signs with the dev
// issuer's key. Only S256 PKCE, one client (the local audience), codes single-use and short-lived, and
// codes are only ever sent to redirect URIs on origins this server trusts.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { PERSON_ROLES } from '#connectors/contracts/permissions';
import { devTokenRequestSchema, type DevIssuer } from './dev-issuer.ts';
import { escapeHtml as escape, writeResult } from './http-adapter.ts';

export const OIDC_AUTHORIZE_PATH = '/dev/oidc/authorize';
export const OIDC_TOKEN_PATH = '/dev/oidc/token';
const CODE_TTL_MS = 60_000;

export interface DevOidcOptions {
  issuer: DevIssuer;
  /** The one client: the local audience, so the ID token is what the execute handler accepts. */
  clientId: string;
  /** Origins a code may be sent to (this server's own, and MOZAIKS_CORS_ORIGINS). */
  redirectOrigins: () => readonly string[];
  clock?: () => number;
}

const authorizeParams = z.object({
  response_type: z.literal('code'),
  client_id: z.string(),
  redirect_uri: z.url(),
  scope: z.string().check(z.regex(/(^|\s)openid(\s|$)/)),
  state: z.string().check(z.minLength(1), z.maxLength(512)),
  nonce: z.optional(z.string().check(z.maxLength(512))),
  code_challenge: z.string().check(z.regex(/^[A-Za-z0-9_-]{43,128}$/)),
  code_challenge_method: z.literal('S256'),
});
type AuthorizeParams = z.output<typeof authorizeParams>;

const tokenParams = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string(),
  redirect_uri: z.string(),
  client_id: z.string(),
  code_verifier: z.string().check(z.regex(/^[A-Za-z0-9._~-]{43,128}$/)),
});

interface PendingCode {
  params: AuthorizeParams;
  idToken: string;
  expiresAt: number;
}

const send = (res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) =>
  writeResult(res, { statusCode: status, headers: { 'content-type': type, 'cache-control': 'no-store', ...headers }, body });
const tokenError = (res: ServerResponse, error: string, description: string) =>
  send(res, 400, 'application/json', JSON.stringify({ error, error_description: description }));
const problemPage = (res: ServerResponse, message: string) =>
  send(res, 400, 'text/html; charset=utf-8', `<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>Sign-in error</title><main><h1>Sign-in error</h1><p>${escape(message)}</p></main></html>`);

/** Returns a handler that answers the stand-in's routes and reports whether it did. */
export function createDevOidc({ issuer, clientId, redirectOrigins, clock = Date.now }: DevOidcOptions) {
  const codes = new Map<string, PendingCode>();

  /** The request's parameters, or why they cannot be used (never redirects to an untrusted URI). */
  function checkAuthorize(input: Record<string, string>): AuthorizeParams | string {
    const parsed = authorizeParams.safeParse(input);
    if (!parsed.success) return `invalid authorization request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    if (parsed.data.client_id !== clientId) return 'unknown client_id';
    if (!redirectOrigins().includes(new URL(parsed.data.redirect_uri).origin)) return 'redirect_uri is not on a trusted origin';
    return parsed.data;
  }

  function authorizePage(params: AuthorizeParams, message?: string): string {
    const hidden = Object.entries(params)
      .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(String(value))}">`)
      .join('');
    const roles = PERSON_ROLES.map(
      (role) => `<label><input type="checkbox" name="roles" value="${role}"${role === 'owner' ? ' checked' : ''}> ${role}</label>`,
    ).join(' ');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Sign in · local issuer</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}fieldset{margin:1rem 0}</style></head>
<body><main><h1>Sign in</h1><p>Local stand-in for the hosted sign-in page: it signs an ID token for the tenant and user you name.</p>
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="${OIDC_AUTHORIZE_PATH}">${hidden}
<label for="tenantId">Tenant</label><input id="tenantId" name="tenantId" required value="demo" autocomplete="off">
<label for="userId">User</label><input id="userId" name="userId" required value="demo-owner" autocomplete="username">
<fieldset><legend>Roles (used on the user's first sign-in)</legend>${roles}</fieldset>
<button type="submit">Continue</button></form></main></body></html>`;
  }

  function approve(res: ServerResponse, form: URLSearchParams): void {
    const input = Object.fromEntries([...form.entries()].filter(([name]) => name !== 'roles'));
    const params = checkAuthorize(input);
    if (typeof params === 'string') return problemPage(res, params);
    const who = devTokenRequestSchema.safeParse({ sub: form.get('userId') ?? '', tenantId: form.get('tenantId') ?? '', roles: form.getAll('roles') });
    if (!who.success) return send(res, 400, 'text/html; charset=utf-8', authorizePage(params, 'Name a tenant (letters, digits, - and _) and a user.'));
    const code = randomBytes(32).toString('base64url');
    const idToken = issuer.sign({ ...who.data, audience: clientId, nonce: params.nonce });
    codes.set(code, { params, idToken, expiresAt: clock() + CODE_TTL_MS });
    const target = new URL(params.redirect_uri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', params.state);
    target.searchParams.set('iss', issuer.issuer);
    send(res, 303, 'text/plain', '', { location: target.href });
  }

  function exchange(res: ServerResponse, form: URLSearchParams): void {
    const parsed = tokenParams.safeParse(Object.fromEntries(form.entries()));
    if (!parsed.success) return tokenError(res, 'invalid_request', 'grant_type, code, redirect_uri, client_id and code_verifier are required');
    const { code, redirect_uri, client_id, code_verifier } = parsed.data;
    const pending = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (!pending || pending.expiresAt < clock()) return tokenError(res, 'invalid_grant', 'unknown, used or expired code');
    if (client_id !== pending.params.client_id || redirect_uri !== pending.params.redirect_uri) {
      return tokenError(res, 'invalid_grant', 'client_id or redirect_uri differ from the authorization request');
    }
    if (createHash('sha256').update(code_verifier).digest('base64url') !== pending.params.code_challenge) {
      return tokenError(res, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    send(res, 200, 'application/json', JSON.stringify({ id_token: pending.idToken, access_token: pending.idToken, token_type: 'Bearer', expires_in: 3600 }));
  }

  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        send(
          res,
          200,
          'application/json',
          JSON.stringify({
            issuer: issuer.issuer,
            authorization_endpoint: `${issuer.issuer}${OIDC_AUTHORIZE_PATH}`,
            token_endpoint: `${issuer.issuer}${OIDC_TOKEN_PATH}`,
            jwks_uri: `${issuer.issuer}/.well-known/jwks.json`,
            response_types_supported: ['code'],
            grant_types_supported: ['authorization_code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['none'],
            scopes_supported: ['openid', 'profile', 'email'],
          }),
          { 'access-control-allow-origin': '*' },
        );
        return true;
      case `GET ${OIDC_AUTHORIZE_PATH}`: {
        const params = checkAuthorize(Object.fromEntries(url.searchParams.entries()));
        if (typeof params === 'string') problemPage(res, params);
        else send(res, 200, 'text/html; charset=utf-8', authorizePage(params));
        return true;
      }
      case `POST ${OIDC_AUTHORIZE_PATH}`:
        approve(res, new URLSearchParams(body.toString('utf8')));
        return true;
      case `POST ${OIDC_TOKEN_PATH}`:
        exchange(res, new URLSearchParams(body.toString('utf8')));
        return true;
      default:
        return false;
    }
  };
}
