import { describe, expect, it } from 'vitest';
import type { ConnectorBundle } from '#connectors/loader';
import { createMockConnectors } from '#functions/services/in-process';
import { PlatformError } from '#connectors/contracts/wire';
import { createAccessControl } from '#functions/execute/access';

/** Mock connectors whose access lookups are counted. */
async function counted() {
  const connectors = await createMockConnectors();
  const calls = { resolveUser: 0, resolveAppKey: 0, getEntitlements: 0 };
  const bundle: ConnectorBundle = {
    ...connectors,
    identity: {
      ...connectors.identity,
      resolveUser: (ctx, input) => (calls.resolveUser++, connectors.identity.resolveUser(ctx, input)),
      resolveAppKey: (ctx, input) => (calls.resolveAppKey++, connectors.identity.resolveAppKey(ctx, input)),
    },
    billing: { ...connectors.billing, getEntitlements: (ctx, input) => (calls.getEntitlements++, connectors.billing.getEntitlements(ctx, input)) },
  };
  let clock = 0;
  const access = createAccessControl(bundle, { ttlMs: 30_000, now: () => clock });
  return { access, calls, connectors, tick: (ms: number) => (clock += ms) };
}

const identity = (tenantId: string, userId: string, tokenRoles: string[] = ['member']) => ({ tenantId, userId, tokenRoles, profile: {} });

describe('access control caches', () => {
  it('resolves a user once per TTL, sharing concurrent misses', async () => {
    const { access, calls, tick } = await counted();
    const [first] = await Promise.all([access.userCaller(identity('t1', 'u1'), 'c1'), access.userCaller(identity('t1', 'u1'), 'c2')]);
    expect(first.roles).toContain('owner');
    expect(calls.resolveUser).toBe(1);
    tick(29_000);
    await access.userCaller(identity('t1', 'u1'), 'c3');
    expect(calls.resolveUser).toBe(1);
    tick(2_000);
    await access.userCaller(identity('t1', 'u1'), 'c4');
    expect(calls.resolveUser).toBe(2);
  });

  it("forgets one tenant's entries on invalidation and keeps the others'", async () => {
    const { access, calls } = await counted();
    await access.userCaller(identity('t1', 'u1'), 'c');
    await access.userCaller(identity('t2', 'u1'), 'c');
    await access.plan('t1', 'c');
    access.invalidate('t1', 'permissions');
    await access.userCaller(identity('t1', 'u1'), 'c');
    await access.userCaller(identity('t2', 'u1'), 'c');
    await access.plan('t1', 'c');
    expect(calls).toMatchObject({ resolveUser: 3, getEntitlements: 1 });
  });

  it('refuses a suspended user with 403', async () => {
    const { access, connectors } = await counted();
    await access.userCaller(identity('t1', 'owner'), 'c');
    await access.userCaller(identity('t1', 'bob'), 'c');
    await connectors.identity.suspendUser({ tenantId: 't1', userId: 'owner', roles: ['owner'], correlationId: 'c' }, { userId: 'bob' });
    access.invalidate('t1', 'permissions');
    await expect(access.userCaller(identity('t1', 'bob'), 'c')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers 401 for malformed, unknown and revoked app keys without asking Identity about malformed ones', async () => {
    const { access, calls, connectors } = await counted();
    await expect(access.appKeyCaller('not-a-key', 'c')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(calls.resolveAppKey).toBe(0);
    await expect(access.appKeyCaller('mzk.t1.key_x.abcdefghijklmnopqrstuvwxyz', 'c')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const owner = { tenantId: 't1', userId: 'owner', roles: ['owner'], correlationId: 'c' };
    await connectors.identity.resolveUser(owner, { tokenRoles: ['owner'] });
    const key = await connectors.identity.createAppKey(owner, { name: 'runtime' });
    const caller = await access.appKeyCaller(key.secret, 'c');
    expect(caller).toMatchObject({ tenantId: 't1', roles: ['app'], userId: `app:${key.keyId}` });
    await connectors.identity.revokeAppKey(owner, { keyId: key.keyId });
    // Still cached in this container until invalidated (other containers: until the TTL passes).
    expect((await access.appKeyCaller(key.secret, 'c')).tenantId).toBe('t1');
    access.invalidate('t1', 'appKeys');
    const error = await access.appKeyCaller(key.secret, 'c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe('UNAUTHENTICATED');
  });
});
