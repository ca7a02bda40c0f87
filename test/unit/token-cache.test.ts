// Repeated requests with the same token pay for its signature check once per container, and nothing is
// ever accepted that verification would refuse: other bytes, an expired token, or a token that failed.
import { describe, expect, it } from 'vitest';
import { createJwtAuthenticator, rememberVerifiedTokens, type TokenIdentity } from '#functions/execute/auth';
import { createDevIssuer } from '#local/dev-issuer';

const identity = (expiresAt: number): TokenIdentity & { expiresAt: number } => ({ tenantId: 't', userId: 'u', tokenRoles: [], profile: {}, expiresAt });

describe('rememberVerifiedTokens', () => {
  it('verifies a repeated token once, and each different token on its own', async () => {
    let calls = 0;
    const authenticate = rememberVerifiedTokens(async () => (calls++, identity(Date.now() + 60_000)));
    await authenticate('token-a');
    await authenticate('token-a');
    await authenticate('token-a');
    expect(calls).toBe(1);
    await authenticate('token-b');
    expect(calls).toBe(2);
  });

  it('stops trusting a remembered token when it expires, and verifies it again (which then refuses it)', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const authenticate = rememberVerifiedTokens(async () => {
      calls++;
      if (clock >= 1_060_000) throw new Error('expired');
      return identity(1_060_000);
    }, () => clock);
    await authenticate('t');
    clock = 1_059_999;
    await authenticate('t');
    expect(calls).toBe(1);
    clock = 1_060_000;
    await expect(authenticate('t')).rejects.toThrow('expired');
    expect(calls).toBe(2);
  });

  it('never remembers a failure', async () => {
    let calls = 0;
    const authenticate = rememberVerifiedTokens(async () => {
      calls++;
      throw new Error('bad signature');
    });
    await expect(authenticate('x')).rejects.toThrow();
    await expect(authenticate('x')).rejects.toThrow();
    expect(calls).toBe(2);
  });

  it('keeps at most 5,000 tokens, forgetting the oldest first', async () => {
    let calls = 0;
    const authenticate = rememberVerifiedTokens(async () => (calls++, identity(Date.now() + 60_000)));
    for (let i = 0; i <= 5_000; i++) await authenticate(`token-${i}`);
    expect(calls).toBe(5_001);
    await authenticate('token-5000');
    expect(calls).toBe(5_001);
    await authenticate('token-0'); // evicted: verified again
    expect(calls).toBe(5_002);
  });
});

describe('createJwtAuthenticator with the cache', () => {
  const issuer = createDevIssuer({ issuer: 'http://localhost:4999' });
  const jwks = new TextEncoder().encode(JSON.stringify(issuer.jwks));
  let fetches = 0;
  const authenticate = createJwtAuthenticator(
    { issuer: issuer.issuer, audience: ['aud'], jwksUri: `${issuer.issuer}/.well-known/jwks.json`, tenantClaim: 'tenantId', rolesClaim: 'roles' },
    { fetch: async () => (fetches++, jwks.buffer.slice(0) as ArrayBuffer) },
  );

  it('accepts a repeated token and refuses the same token with one byte of its signature changed', async () => {
    const token = issuer.sign({ sub: 'u1', tenantId: 'acme', roles: ['owner'], audience: 'aud' });
    expect((await authenticate(token)).tenantId).toBe('acme');
    expect((await authenticate(token)).tenantId).toBe('acme');
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    await expect(authenticate(tampered)).rejects.toThrow(/invalid or expired/);
    expect(fetches).toBe(1);
  });
});
