// Who is calling: a verified JWT becomes a token identity. tenantId and userId come only from the
// token's signed claims, never from the body or the path (ARCHITECTURE.md, "Tenancy and security");
// the token's roles only seed a user seen for the first time: Identity's stored roles are what count.
import { JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { PlatformError } from '#connectors/wire';

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

export function createJwtAuthenticator(config: AuthConfig, fetcher: Fetcher = jwksFetcher): Authenticate {
  const verifier = JwtVerifier.create(
    { issuer: config.issuer, audience: config.audience, jwksUri: config.jwksUri },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );

  return async (token) => {
    let claims: Record<string, unknown>;
    try {
      claims = (await verifier.verify(token)) as Record<string, unknown>;
    } catch {
      // The reason (expired, bad signature, wrong issuer) stays out of the response on purpose.
      throw unauthenticated('The token is invalid or expired');
    }
    const tenantId = claims[config.tenantClaim];
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) throw unauthenticated(`The token has no valid ${config.tenantClaim} claim`);
    const roles = claims[config.rolesClaim];
    return {
      tenantId,
      userId: String(claims.sub),
      tokenRoles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string').slice(0, 20) : [],
      profile: {
        email: text(claims.email, 254),
        username: text(claims['cognito:username'] ?? claims.preferred_username ?? claims.username, 128),
        displayName: text(claims.name, 128),
      },
    };
  };
}
