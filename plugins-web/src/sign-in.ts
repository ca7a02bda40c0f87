// Sign-in behind one interface, so the shell does not care how a token is obtained: the dev issuer's
// form (`POST /dev/token`, local only), or OIDC (Cognito's hosted sign-in, any issuer with a discovery
// document, or the local platform's stand-in): the authorization-code flow with PKCE, by oauth4webapi.
import * as oauth from 'oauth4webapi';
import type { OidcSignInConfig } from '../../connectors/contracts/ui-config.ts';

export interface Session {
  token: string;
  tenantId: string;
  userId: string;
  roles: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SignIn {
  /** `dev` shows the dev form; `oidc` redirects to the issuer (`begin()`). */
  readonly kind: 'dev' | 'oidc';
  /** The current session, or undefined if signed out or expired. */
  session(): Session | undefined;
  /** A valid bearer token; rejects when signed out (the elements show 401 then). */
  getToken(): Promise<string>;
  signOut(): Promise<void>;
  /** Finishes a redirect back from the issuer, if this page load is one (OIDC); dev: nothing to do. */
  completeRedirect?(): Promise<void>;
}

export interface DevSignInRequest {
  tenantId: string;
  userId: string;
  roles: string[];
}

const KEY = 'mozaiks.session';
/** Refresh a little before the token expires. */
const MARGIN_MS = 30_000;

/** The stored session while its token has more than MARGIN_MS to live. */
function readSession(storage: Storage): Session | undefined {
  try {
    const session = JSON.parse(storage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt - MARGIN_MS > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

/** The local platform's dev issuer. The session lives in sessionStorage (this tab, until closed). */
export class DevSignIn implements SignIn {
  readonly kind = 'dev' as const;
  constructor(
    private readonly origin: string,
    private readonly storage: Storage = sessionStorage,
  ) {}

  session(): Session | undefined {
    return readSession(this.storage);
  }

  async signIn(request: DevSignInRequest): Promise<Session> {
    const response = await fetch(`${this.origin.replace(/\/+$/, '')}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: request.userId, tenantId: request.tenantId, roles: request.roles }),
    });
    const body = (await response.json().catch(() => ({}))) as { token?: string; expiresInSeconds?: number; error?: { message?: string } };
    if (!response.ok || !body.token) throw new Error(body.error?.message ?? `The dev issuer answered ${response.status}`);
    const session: Session = { token: body.token, ...request, expiresAt: Date.now() + (body.expiresInSeconds ?? 3600) * 1000 };
    this.storage.setItem(KEY, JSON.stringify(session));
    return session;
  }

  async getToken(): Promise<string> {
    const session = this.session();
    if (!session) throw new Error('Not signed in');
    return session.token;
  }

  async signOut(): Promise<void> {
    this.storage.removeItem(KEY);
  }
}

const PENDING_KEY = 'mozaiks.oidc.pending';

/** What a redirect to the issuer must find again when it comes back (this tab only). */
interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The route to return to after signing in. */
  returnTo: string;
}

/**
 * OIDC sign-in: authorization code + PKCE (S256), a public client, the ID token as the bearer token
 * (Cognito puts `aud` and the tenant only in the ID token). The API verifies the token's signature;
 * here oauth4webapi checks the issuer, audience, expiry, nonce and state of what comes back.
 * No refresh token is kept: when the ID token expires the user signs in again (the issuer's session
 * usually makes that a redirect without a form).
 */
export class OidcSignIn implements SignIn {
  readonly kind = 'oidc' as const;
  private server?: oauth.AuthorizationServer;
  private readonly client: oauth.Client;

  constructor(
    private readonly config: OidcSignInConfig,
    private readonly storage: Storage = sessionStorage,
  ) {
    this.client = { client_id: config.clientId };
  }

  /** The issuer's host, to name it on the sign-in button. */
  get issuerName(): string {
    return new URL(this.config.issuer).host;
  }

  private get redirectUri(): string {
    return `${location.origin}${location.pathname}`;
  }

  /** Plain HTTP only for a loopback issuer (the local platform's stand-in). */
  private get insecureAllowed(): boolean {
    const { protocol, hostname } = new URL(this.config.issuer);
    return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
  }

  private async discover(): Promise<oauth.AuthorizationServer> {
    if (this.server) return this.server;
    const issuer = new URL(this.config.issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: this.insecureAllowed });
    this.server = await oauth.processDiscoveryResponse(issuer, response);
    return this.server;
  }

  session(): Session | undefined {
    return readSession(this.storage);
  }

  async getToken(): Promise<string> {
    const session = this.session();
    if (!session) throw new Error('Not signed in');
    return session.token;
  }

  /** Sends the browser to the issuer's sign-in page. */
  async begin(returnTo = location.hash): Promise<void> {
    const server = await this.discover();
    if (!server.authorization_endpoint) throw new Error('The issuer publishes no authorization endpoint');
    const pending: PendingSignIn = { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier: oauth.generateRandomCodeVerifier(), returnTo };
    this.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    const target = new URL(server.authorization_endpoint);
    target.search = new URLSearchParams({
      client_id: this.client.client_id,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: this.config.scope ?? 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    location.assign(target.href);
  }

  /** On the way back from the issuer: exchanges the code for tokens and starts the session. */
  async completeRedirect(): Promise<void> {
    const current = new URL(location.href);
    if (!current.searchParams.has('code') && !current.searchParams.has('error')) return;
    const pending = JSON.parse(this.storage.getItem(PENDING_KEY) ?? 'null') as PendingSignIn | null;
    this.storage.removeItem(PENDING_KEY);
    // Whatever happens, the code leaves the address bar and history.
    history.replaceState(null, '', `${this.redirectUri}${pending?.returnTo ?? ''}`);
    if (!pending) throw new Error('This sign-in was not started here, or was already used: sign in again.');

    const server = await this.discover();
    const params = oauth.validateAuthResponse(server, this.client, current, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(server, this.client, oauth.None(), params, this.redirectUri, pending.codeVerifier, {
      [oauth.allowInsecureRequests]: this.insecureAllowed,
    });
    const result = await oauth.processAuthorizationCodeResponse(server, this.client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result);
    if (!claims || !result.id_token) throw new Error('The issuer sent no ID token');
    const tenantId = claims[this.config.tenantClaim];
    if (typeof tenantId !== 'string' || tenantId === '') throw new Error(`Your account has no tenant (claim ${this.config.tenantClaim}): ask an operator to set it.`);
    const rawRoles = claims[this.config.rolesClaim];
    const session: Session = {
      token: result.id_token,
      tenantId,
      userId: claims.sub,
      roles: Array.isArray(rawRoles) ? rawRoles.map(String) : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/).filter(Boolean) : [],
      expiresAt: claims.exp * 1000,
    };
    this.storage.setItem(KEY, JSON.stringify(session));
  }

  async signOut(): Promise<void> {
    this.storage.removeItem(KEY);
    // Cognito keeps its own session cookie: end it too, or "Sign in" would sign the same user in again.
    if (this.config.logoutUrl) location.assign(this.config.logoutUrl);
  }
}
