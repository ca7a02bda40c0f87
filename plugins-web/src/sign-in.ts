// Sign-in behind one interface, so the shell does not care how a token is obtained. Locally: the dev
// issuer (`POST /dev/token`). An OIDC implementation (Cognito hosted UI or any issuer with a discovery
// document, authorization code + PKCE) implements the same interface in a later step.

export interface Session {
  token: string;
  tenantId: string;
  userId: string;
  roles: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SignIn {
  /** `dev` shows the dev form; `oidc` (later) redirects to the issuer. */
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

/** The local platform's dev issuer. The session lives in sessionStorage (this tab, until closed). */
export class DevSignIn implements SignIn {
  readonly kind = 'dev' as const;
  constructor(
    private readonly origin: string,
    private readonly storage: Storage = sessionStorage,
  ) {}

  session(): Session | undefined {
    try {
      const session = JSON.parse(this.storage.getItem(KEY) ?? 'null') as Session | null;
      return session && session.expiresAt - MARGIN_MS > Date.now() ? session : undefined;
    } catch {
      return undefined;
    }
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
