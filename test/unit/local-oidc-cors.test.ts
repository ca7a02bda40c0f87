// The local platform's stand-in for hosted sign-in (authorization code + PKCE) and its CORS for other
// origins (MOZAIKS_CORS_ORIGINS), over real HTTP in mock mode (no Java needed).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCorsOrigins } from '#local/cors';
import { startLocalPlatform, type LocalPlatform } from '#local/platform';

const HOST_APP = 'http://localhost:5173';
let platform: LocalPlatform;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-oidc-'));
  platform = await startLocalPlatform({ port: 0, managed: false, inMemory: true, dataDir, signIn: 'oidc', corsOrigins: [HOST_APP], log: () => undefined });
});
afterAll(async () => {
  await platform?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');

/** Runs the authorization step as the browser form would and returns the code. */
async function authorize(codeVerifier: string, redirectUri = `${platform.url}/`, extra: Record<string, string> = {}): Promise<Response> {
  const form = new URLSearchParams({
    response_type: 'code',
    client_id: 'mozaiks-local',
    redirect_uri: redirectUri,
    scope: 'openid email',
    state: 'st-1',
    nonce: 'n-1',
    code_challenge: challengeOf(codeVerifier),
    code_challenge_method: 'S256',
    tenantId: 'oidc-t',
    userId: 'oidc-u',
    roles: 'owner',
    ...extra,
  });
  return fetch(`${platform.url}/dev/oidc/authorize`, { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const exchange = (code: string, codeVerifier: string, redirectUri = `${platform.url}/`) =>
  fetch(`${platform.url}/dev/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'mozaiks-local', code_verifier: codeVerifier }),
  });

describe('the OIDC stand-in', () => {
  it('publishes a discovery document and tells the UIs to use it', async () => {
    const discovery = await (await fetch(`${platform.url}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ issuer: platform.url, code_challenge_methods_supported: ['S256'], jwks_uri: `${platform.url}/.well-known/jwks.json` });
    expect(await (await fetch(`${platform.url}/config.json`)).json()).toEqual({
      signIn: 'oidc',
      issuer: platform.url,
      clientId: 'mozaiks-local',
      tenantClaim: 'tenantId',
      rolesClaim: 'roles',
    });
  });

  it('sends the code back with the state, and swaps it once, for the right verifier, for an ID token the API accepts', async () => {
    const v = verifier();
    const approved = await authorize(v);
    expect(approved.status).toBe(303);
    const back = new URL(approved.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${platform.url}/`);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code')!;

    const tokens = await exchange(code, v);
    expect(tokens.status).toBe(200);
    const { id_token } = (await tokens.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(id_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: platform.url, aud: 'mozaiks-local', sub: 'oidc-u', tenantId: 'oidc-t', roles: ['owner'], nonce: 'n-1' });
    expect((await fetch(`${platform.url}/api/plugins`, { headers: { authorization: `Bearer ${id_token}` } })).status).toBe(200);

    const again = await exchange(code, v);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a verifier that does not match the challenge, and burns the code', async () => {
    const v = verifier();
    const code = new URL((await authorize(v)).headers.get('location')!).searchParams.get('code')!;
    const wrong = await exchange(code, verifier());
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/code_verifier/) });
    expect((await exchange(code, v)).status).toBe(400);
  });

  it('refuses a redirect_uri that differs at the token step', async () => {
    const v = verifier();
    const code = new URL((await authorize(v)).headers.get('location')!).searchParams.get('code')!;
    expect((await exchange(code, v, `${HOST_APP}/`)).status).toBe(400);
  });

  it('never sends a code to an origin it does not trust, and accepts the configured CORS origins', async () => {
    const evil = await authorize(verifier(), 'https://evil.example.com/callback');
    expect(evil.status).toBe(400);
    expect(evil.headers.get('location')).toBeNull();
    expect(await evil.text()).toContain('redirect_uri is not on a trusted origin');

    const hostApp = await authorize(verifier(), `${HOST_APP}/callback`);
    expect(hostApp.status).toBe(303);
    expect(hostApp.headers.get('location')).toMatch(new RegExp(`^${HOST_APP}/callback\\?code=`));
  });

  it('refuses plain PKCE and an unknown client', async () => {
    const page = await fetch(`${platform.url}/dev/oidc/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'mozaiks-local', redirect_uri: `${platform.url}/`, scope: 'openid', state: 's', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`);
    expect(page.status).toBe(400);
    expect((await authorize(verifier(), undefined, { client_id: 'someone-else' })).status).toBe(400);
  });
});

describe('CORS for other origins', () => {
  it('answers a preflight from an allowed origin with the API rules', async () => {
    const res = await fetch(`${platform.url}/api/execute/moz.platform.hosting`, {
      method: 'OPTIONS',
      headers: { origin: HOST_APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(HOST_APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('gives a foreign origin no CORS headers, so its browser blocks the call', async () => {
    const res = await fetch(`${platform.url}/api/execute/moz.platform.hosting`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const health = await fetch(`${platform.url}/api/health`, { headers: { origin: 'https://evil.example.com' } });
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('marks answers to an allowed origin as readable, exposing the correlation id', async () => {
    const res = await fetch(`${platform.url}/api/health`, { headers: { origin: HOST_APP } });
    expect(res.headers.get('access-control-allow-origin')).toBe(HOST_APP);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-correlation-id');
  });

  it('reads MOZAIKS_CORS_ORIGINS, naming an entry that is not an origin', () => {
    expect(parseCorsOrigins(' http://localhost:5173, https://app.example.com ')).toEqual([HOST_APP, 'https://app.example.com']);
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(() => parseCorsOrigins('http://localhost:5173/path')).toThrow(/"http:\/\/localhost:5173\/path" is not an origin/);
    expect(() => parseCorsOrigins('localhost:5173')).toThrow(/not an origin/);
  });
});
