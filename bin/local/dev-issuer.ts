// Local token issuer: real RS256 signatures and a real JWKS, so local mode runs the same
// aws-jwt-verify path as the cloud (there is no "skip verification" switch anywhere).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
// English zod messages, configured once for the process.
import '#connectors/contracts/schema';

/** Body of `POST /dev/token`. */
export const devTokenRequestSchema = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  tenantId: z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/)),
  roles: z._default(z.array(z.string()), []),
  expiresInSeconds: z.optional(z.int().check(z.gte(1), z.lte(86_400))),
});
export type DevTokenRequest = z.output<typeof devTokenRequestSchema>;

// A type alias (not an interface) so it fits JSON-typed parameters such as aws-jwt-verify's `Jwk`.
export type PublicJwk = {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
};

export interface SignInput {
  readonly sub: string;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly audience: string;
  /** Default 3600. */
  readonly expiresInSeconds?: number;
  /** OIDC: the nonce of the authorization request this ID token answers. */
  readonly nonce?: string;
}

export interface DevIssuer {
  readonly issuer: string;
  readonly kid: string;
  // Mutable array type on purpose: aws-jwt-verify's `Jwks` (JSON-typed) rejects readonly arrays.
  readonly jwks: { keys: PublicJwk[] };
  sign(input: SignInput): string;
  /** Signs exactly these claims (`iss` is added when absent): for tests of what the verifier refuses. */
  signClaims(claims: Record<string, unknown>): string;
}

export interface DevIssuerOptions {
  readonly issuer: string;
  /** Private JWK file (e.g. `.local/dev-issuer-key.json`); created if missing so tokens survive restarts. */
  readonly keyFile?: string;
  /** Milliseconds since epoch; injectable for tests. */
  readonly clock?: () => number;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function loadOrCreateKey(keyFile: string | undefined): KeyObject {
  if (keyFile && existsSync(keyFile)) {
    let jwk: JsonWebKey;
    try {
      jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JsonWebKey;
      if (jwk.kty !== 'RSA' || !jwk.d) throw new Error('not an RSA private JWK');
      return createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (error) {
      throw new Error(`dev issuer key file ${keyFile} is unusable (${(error as Error).message}); delete it to get a new key`);
    }
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${JSON.stringify(privateKey.export({ format: 'jwk' }), null, 2)}\n`, { mode: 0o600 });
  }
  return privateKey;
}

/** RFC 7638 thumbprint: a stable kid derived from the key itself, nothing extra to store. */
function thumbprint(n: string, e: string): string {
  return createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
}

export function createDevIssuer(options: DevIssuerOptions): DevIssuer {
  const privateKey = loadOrCreateKey(options.keyFile);
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (!n || !e) throw new Error('dev issuer: could not export the public key');
  const kid = thumbprint(n, e);
  const clock = options.clock ?? Date.now;

  function signClaims(claims: Record<string, unknown>): string {
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const signingInput = `${b64url(header)}.${b64url({ iss: options.issuer, ...claims })}`;
    const signature = cryptoSign('RSA-SHA256', Buffer.from(signingInput), privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }

  return {
    issuer: options.issuer,
    kid,
    jwks: { keys: [{ kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' }] },
    sign(input) {
      const iat = Math.floor(clock() / 1000);
      return signClaims({
        aud: input.audience,
        sub: input.sub,
        tenantId: input.tenantId,
        roles: [...input.roles],
        iat,
        exp: iat + (input.expiresInSeconds ?? 3600),
        token_use: 'id',
        ...(input.nonce !== undefined && { nonce: input.nonce }),
      });
    },
    signClaims,
  };
}
