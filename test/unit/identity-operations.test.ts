// Identity rules that depend on the clock or on what is stored, over a memory table.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PlatformError, type CallContext } from '#connectors/contracts/wire';
import { createIdentityStore } from '#functions/services/identity/store';
import { createMemoryTable } from '#functions/shared/memory-table';
import { LOGIN_REFRESH_MS, createIdentityOperations } from '#functions/services/identity/operations';

const ctx: CallContext = { tenantId: 'acme', userId: 'u1', roles: [], correlationId: 'c' };

function setup() {
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const store = createIdentityStore(createMemoryTable());
  const operations = createIdentityOperations({ store, now: () => new Date(clock) });
  return { store, operations, advance: (ms: number) => (clock += ms) };
}

describe('Identity operations', () => {
  it('refreshes lastLoginAt only when it is older than five minutes', async () => {
    const { operations, advance } = setup();
    const first = await operations.resolveUser(ctx, { tokenRoles: [] });
    advance(LOGIN_REFRESH_MS - 1);
    expect((await operations.resolveUser(ctx, { tokenRoles: [] })).user.lastLoginAt).toBe(first.user.lastLoginAt);
    advance(1);
    const later = await operations.resolveUser(ctx, { tokenRoles: [] });
    expect(later.user.lastLoginAt).toBe('2025-01-01T00:05:00.000Z');
    expect((await operations.getCurrentUser(ctx, {})).lastLoginAt).toBe(later.user.lastLoginAt);
    expect(later.user.createdAt).toBe(first.user.createdAt);
  });

  it('never exposes the stored version', async () => {
    const { operations } = setup();
    const { user } = await operations.resolveUser(ctx, { tokenRoles: [] });
    expect(user).not.toHaveProperty('version');
    expect(await operations.getCurrentUser(ctx, {})).not.toHaveProperty('version');
  });

  it('stores only the SHA-256 of an app key', async () => {
    const { store, operations } = setup();
    const { keyId, secret } = await operations.createAppKey(ctx, { name: 'ci' });
    const stored = await store.getAppKey('acme', keyId);
    expect(stored!.hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret.split('.').at(-1));
  });

  it('refuses app keys for a tenant id the key format cannot carry', async () => {
    const { operations } = setup();
    const error = await operations.createAppKey({ ...ctx, tenantId: 'acme.corp' }, { name: 'ci' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe('CONFLICT');
  });
});
