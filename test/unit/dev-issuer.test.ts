import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtVerifier } from 'aws-jwt-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevIssuer, devTokenRequestSchema } from '#local/dev-issuer';

const issuer = 'http://127.0.0.1:3000/dev';
const audience = 'mozaiks-local';
// Never fetched: every test primes the cache; a closed local port keeps a mistake off the network.
const jwksUri = 'http://127.0.0.1:9/.well-known/jwks.json';

const verifierFor = (jwks: Parameters<ReturnType<typeof JwtVerifier.create>['cacheJwks']>[0]) => {
  const verifier = JwtVerifier.create({ issuer, audience, jwksUri });
  verifier.cacheJwks(jwks);
  return verifier;
};

const decodePart = (token: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('dev issuer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mozaiks-issuer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs an RS256 JWT that aws-jwt-verify accepts, with the expected claims', async () => {
    const dev = createDevIssuer({ issuer });
    const token = dev.sign({ sub: 'user-1', tenantId: 'app_42', roles: ['admin'], audience });

    expect(decodePart(token, 0)).toEqual({ alg: 'RS256', typ: 'JWT', kid: dev.kid });
    expect(dev.jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: dev.kid, alg: 'RS256', use: 'sig' });
    expect(dev.jwks.keys[0]).not.toHaveProperty('d'); // never publish the private part

    const payload = await verifierFor(dev.jwks).verify(token);
    expect(payload).toMatchObject({ iss: issuer, aud: audience, sub: 'user-1', tenantId: 'app_42', roles: ['admin'], token_use: 'id' });
    expect(payload.exp).toBe((payload.iat ?? Number.NaN) + 3600);
  });

  it('honours expiresInSeconds', async () => {
    const dev = createDevIssuer({ issuer });
    const payload = await verifierFor(dev.jwks).verify(
      dev.sign({ sub: 'u', tenantId: 't', roles: [], audience, expiresInSeconds: 60 }),
    );
    expect(payload.exp).toBe((payload.iat ?? Number.NaN) + 60);
  });

  it('rejects a token signed by another key, even one reusing our kid', async () => {
    const dev = createDevIssuer({ issuer });
    const other = createDevIssuer({ issuer });
    const forged = other.sign({ sub: 'u', tenantId: 't', roles: [], audience });
    const [, body, signature] = forged.split('.');
    const sameKid = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: dev.kid })).toString('base64url')}.${body}.${signature}`;

    await expect(verifierFor(dev.jwks).verify(sameKid)).rejects.toThrow(/signature/i);
    await expect(verifierFor(dev.jwks).verify(forged)).rejects.toThrow();
  });

  it('rejects an expired token, a wrong audience and a wrong issuer', async () => {
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    const past = createDevIssuer({ issuer, clock: () => twoHoursAgo });
    const verifier = verifierFor(past.jwks);
    await expect(verifier.verify(past.sign({ sub: 'u', tenantId: 't', roles: [], audience }))).rejects.toThrow(/expired/i);

    const dev = createDevIssuer({ issuer });
    await expect(
      verifierFor(dev.jwks).verify(dev.sign({ sub: 'u', tenantId: 't', roles: [], audience: 'someone-else' })),
    ).rejects.toThrow(/audience/i);
    const elsewhere = createDevIssuer({ issuer: 'http://evil.example/dev' });
    const verifier2 = JwtVerifier.create({ issuer, audience, jwksUri });
    verifier2.cacheJwks(elsewhere.jwks);
    await expect(verifier2.verify(elsewhere.sign({ sub: 'u', tenantId: 't', roles: [], audience }))).rejects.toThrow(/issuer/i);
  });

  it('persists its key in keyFile so tokens survive a restart', async () => {
    const keyFile = join(dir, '.local', 'dev-issuer-key.json');
    const first = createDevIssuer({ issuer, keyFile });
    const token = first.sign({ sub: 'u', tenantId: 't', roles: [], audience });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toHaveProperty('d');

    const second = createDevIssuer({ issuer, keyFile });
    expect(second.kid).toBe(first.kid);
    await expect(verifierFor(second.jwks).verify(token)).resolves.toMatchObject({ sub: 'u' });
  });

  it('names the key file when it is unusable', async () => {
    const keyFile = join(dir, 'broken.json');
    await writeFile(keyFile, '{"kty":"EC"}');
    expect(() => createDevIssuer({ issuer, keyFile })).toThrow(/broken\.json.*delete it/);
  });
});

describe('devTokenRequestSchema', () => {
  it('accepts a minimal body and defaults roles to []', () => {
    expect(devTokenRequestSchema.parse({ sub: 'u', tenantId: 'app-1' })).toEqual({ sub: 'u', tenantId: 'app-1', roles: [] });
  });

  it.each([
    [{ sub: '', tenantId: 't' }, 'sub'],
    [{ sub: 'x'.repeat(129), tenantId: 't' }, 'sub'],
    [{ sub: 'u', tenantId: '' }, 'tenantId'],
    [{ sub: 'u', tenantId: 'T#x' }, 'tenantId'],
    [{ sub: 'u', tenantId: 'a'.repeat(65) }, 'tenantId'],
    [{ sub: 'u', tenantId: 't', roles: [1] }, 'roles'],
    [{ sub: 'u', tenantId: 't', expiresInSeconds: 0 }, 'expiresInSeconds'],
    [{ sub: 'u', tenantId: 't', expiresInSeconds: 86_401 }, 'expiresInSeconds'],
    [{ sub: 'u', tenantId: 't', expiresInSeconds: 1.5 }, 'expiresInSeconds'],
  ])('rejects %j at %s, with an English message', (body, field) => {
    const result = devTokenRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path[0]).toBe(field);
    expect(issue?.message).not.toBe('Invalid input');
  });
});
