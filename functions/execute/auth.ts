// Who is calling: a verified JWT becomes a token identity. tenantId and userId come only from the
// token's signed claims, never from the body or the path (ARCHITECTURE.md, "Tenancy and security");
// the token's roles only seed a user seen for the first time: Identity's stored roles are what count.
import { JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { isBuiltInRole } from '#connectors/contracts/permissions';
import { PlatformError } from '#connectors/contracts/wire';

export interface TokenIdentity {
  tenantId: string;
  userId: string;
  tokenRoles: string[];
  profile: { email?: string; username?: string; displayName?: string };
}

export interface AuthConfig {
  issuer: string;
  /** Accepted `aud` values (Cognito ID tokens carry the app client id). */
  audience: string[];
  jwksUri: string;
  /** Claim holding the tenant id, e.g. `custom:tenantId` on Cognito. */
  tenantClaim: string;
  /** Claim holding the role list, e.g. `cognito:groups` on Cognito. */
  rolesClaim: string;
}

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A user id: 1..128 printable characters, no whitespace or control characters (it becomes a sort key). */
const SUBJECT = /^[^\p{C}\p{Z}\s]{1,128}$/u;
/** Principals the platform itself uses (`system:<purpose>`, `app:<keyId>`): no token may claim to be one. */
const RESERVED_SUBJECT = /^(system|app):/i;
const unauthenticated = (message: string) => new PlatformError('UNAUTHENTICATED', message);

/**
 * Fetches the JWKS with the global fetch. aws-jwt-verify's default fetcher speaks HTTPS only; the
 * local platform serves its JWKS over plain HTTP on loopback, so plain HTTP is allowed there and nowhere else.
 */
export const jwksFetcher: Fetcher = {
  async fetch(uri) {
    const url = new URL(uri);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`JWKS must be served over HTTPS: ${uri}`);
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
    return response.arrayBuffer();
  },
};

/** Verifies a bearer token (the `authorization` header's value after `Bearer `). */
export type Authenticate = (token: string) => Promise<TokenIdentity>;

const BEARER = /^Bearer\s+(\S+)$/i;
export function bearerToken(authorization: string | undefined): string {
  const match = BEARER.exec(authorization ?? '');
  if (!match?.[1]) throw unauthenticated('Missing credentials: send "authorization: Bearer <token>" or "x-mozaiks-app-key"');
  return match[1];
}

const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined);

/**
 * The built-in roles a token names. Anything else (an IdP group the platform does not know, however
 * long) is ignored, so a token never fails because of its roles; they only seed a new user anyway.
 */
function knownRoles(claim: unknown): string[] {
  const names = typeof claim === 'string' ? claim.split(/[\s,]+/) : Array.isArray(claim) ? claim : [];
  return [...new Set(names.filter((role): role is string => typeof role === 'string' && isBuiltInRole(role)))];
}

/** How many verified tokens a container remembers (about 1 KB each). */
const VERIFIED_TOKENS = 5_000;

/**
 * Remembers each token that passed `authenticate` until its `exp`, so a warm container checks a
 * repeated token's signature once. Keyed by the exact token string: a token differing in any byte
 * (another signature, other claims) is verified afresh, and a remembered one stops counting the
 * moment it expires. Failures are never remembered. Oldest entries go first when it is full.
 */
export function rememberVerifiedTokens(authenticate: (token: string) => Promise<TokenIdentity & { expiresAt: number }>, now = Date.now): Authenticate {
  const verified = new Map<string, TokenIdentity & { expiresAt: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known) {
      if (known.expiresAt > now()) return known;
      verified.delete(token);
    }
    const identity = await authenticate(token);
    if (identity.expiresAt > now()) {
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
      verified.set(token, identity);
    }
    return identity;
  };
}

export function createJwtAuthenticator(config: AuthConfig, fetcher: Fetcher = jwksFetcher): Authenticate {
  return rememberVerifiedTokens(createUncachedAuthenticator(config, fetcher));
}

function createUncachedAuthenticator(config: AuthConfig, fetcher: Fetcher) {
  const verifier = JwtVerifier.create(
    { issuer: config.issuer, audience: config.audience, jwksUri: config.jwksUri },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );

  return async (token: string): Promise<TokenIdentity & { expiresAt: number }> => {
    let claims: Record<string, unknown>;
    try {
      claims = (await verifier.verify(token)) as Record<string, unknown>;
    } catch {
      // The reason (expired, bad signature, wrong issuer) stays out of the response on purpose.
      throw unauthenticated('The token is invalid or expired');
    }
    // aws-jwt-verify checks `exp` only when present: a token that never expires is refused here.
    if (typeof claims.exp !== 'number') throw unauthenticated('The token has no exp claim');
    const { sub } = claims;
    if (typeof sub !== 'string' || !SUBJECT.test(sub) || RESERVED_SUBJECT.test(sub)) throw unauthenticated('The token has no valid sub claim');
    const tenantId = claims[config.tenantClaim];
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) throw unauthenticated(`The token has no valid ${config.tenantClaim} claim`);
    return {
      expiresAt: claims.exp * 1000,
      tenantId,
      userId: sub,
      tokenRoles: knownRoles(claims[config.rolesClaim]),
      profile: {
        email: text(claims.email, 254),
        username: text(claims['cognito:username'] ?? claims.preferred_username ?? claims.username, 128),
        displayName: text(claims.name, 128),
      },
    };
  };
}
