// The Identity contract, written once and run over both tables (test/contract/identity.test.ts).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY_PATTERN } from '#connectors/contracts/identity';
import { permissionsOf } from '#connectors/contracts/permissions';
import { PlatformError, type CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { callerOf, codeOf, errorOf, newTenant } from './contract-kit.ts';

export type MakeIdentityConnector = () => Promise<ConnectorBundle['identity']>;

const shortId = () => randomUUID().slice(0, 8);

export function describeIdentityContract(name: string, make: MakeIdentityConnector): void {
  let identity: ConnectorBundle['identity'];
  beforeAll(async () => {
    identity = await make();
  });

  /** Sees a user for the first time (as the runtime does on a cache miss) and returns its caller context. */
  async function signIn(tenantId: string, tokenRoles: string[] = [], profile: { email?: string; username?: string } = {}) {
    const ctx = callerOf(tenantId, `u-${shortId()}`, tokenRoles);
    const { roles } = await identity.resolveUser(ctx, { tokenRoles, ...profile });
    return { ...ctx, roles };
  }
  /** A tenant whose first user (the bootstrap owner) is returned. */
  const tenantWithOwner = async () => signIn(newTenant());

  describe(`Identity connector contract: ${name}`, () => {
    describe('resolveUser (just in time)', () => {
      it('creates the first user of a tenant as its owner, from the token profile', async () => {
        const ctx = callerOf(newTenant(), 'u-first', ['admin']);
        const first = await identity.resolveUser(ctx, { email: 'Ada@Example.com', displayName: 'Ada L.', tokenRoles: ['admin', 'bogus', 'app'] });
        expect(first.user).toMatchObject({ userId: 'u-first', username: 'Ada', email: 'Ada@Example.com', displayName: 'Ada L.', status: 'active' });
        expect(first.roles).toEqual(['admin', 'owner']);
        expect(first.permissions).toEqual(permissionsOf(['owner']));
        expect(first.user.lastLoginAt).toBe(first.user.createdAt);
        // Seen again: the same user, not a second one, and no new bootstrap.
        const again = await identity.resolveUser(ctx, { tokenRoles: ['member'] });
        expect(again.user).toEqual(first.user);
        expect((await identity.countUsers(ctx, {})).count).toBe(1);
      });

      it("gives later users the token's built-in roles (never app), else member, and fills the profile", async () => {
        const owner = await tenantWithOwner();
        const plain = await identity.resolveUser(callerOf(owner.tenantId, 'u-plain'), {});
        expect(plain.user).toMatchObject({ username: 'u-plain', email: '', displayName: 'u-plain', roles: ['member'] });
        const fromEmail = await identity.resolveUser(callerOf(owner.tenantId), { email: 'grace@example.com', tokenRoles: ['app', 'custom'] });
        expect(fromEmail.user).toMatchObject({ username: 'grace', displayName: 'grace', roles: ['member'] });
        const moderator = await identity.resolveUser(callerOf(owner.tenantId), { username: 'mo', tokenRoles: ['moderator', 'moderator'] });
        expect(moderator.roles).toEqual(['moderator']);
        expect(moderator.permissions).toEqual(expect.arrayContaining(['read:hosting', 'moderate:social']));
        expect(moderator.permissions).not.toContain('manage:hosting');
      });

      it('lets concurrent first sights of one user create it once and all read it back', async () => {
        const ctx = callerOf(newTenant(), 'u-race');
        const results = await Promise.all(Array.from({ length: 6 }, () => identity.resolveUser(ctx, { username: 'racer' })));
        expect(new Set(results.map((r) => r.user.createdAt)).size).toBe(1);
        expect(results.every((r) => r.roles.includes('owner'))).toBe(true);
        expect((await identity.countUsers(ctx, {})).count).toBe(1);
      });

      it('makes exactly one owner when several users of a new tenant arrive at once', async () => {
        const tenantId = newTenant();
        const results = await Promise.all(Array.from({ length: 6 }, () => identity.resolveUser(callerOf(tenantId), {})));
        expect(results.filter((r) => r.roles.includes('owner'))).toHaveLength(1);
        const owners = await identity.listUsers(callerOf(tenantId), { role: 'owner' });
        expect(owners.items).toHaveLength(1);
        expect((await identity.countUsers(callerOf(tenantId), {})).count).toBe(6);
      });

      it('returns a suspended user as it is', async () => {
        const owner = await tenantWithOwner();
        const member = await signIn(owner.tenantId);
        await identity.suspendUser(owner, { userId: member.userId });
        const resolved = await identity.resolveUser(member, {});
        expect(resolved.user.status).toBe('suspended');
        expect(resolved.roles).toEqual(['member']);
      });
    });

    describe('users', () => {
      it('reads the current user and others of the tenant; never-seen users are NOT_FOUND', async () => {
        const owner = await tenantWithOwner();
        const member = await signIn(owner.tenantId);
        expect((await identity.getCurrentUser(member, {})).userId).toBe(member.userId);
        expect((await identity.getUser(owner, { userId: member.userId })).roles).toEqual(['member']);
        expect((await identity.getUser(member, {})).userId).toBe(member.userId);
        expect(await codeOf(identity.getCurrentUser(callerOf(owner.tenantId), {}))).toBe('NOT_FOUND');
        expect(await codeOf(identity.getUser(owner, { userId: 'nobody' }))).toBe('NOT_FOUND');
      });

      it('searches by case-insensitive username or email prefix, filters by role and pages with a cursor', async () => {
        const owner = await tenantWithOwner();
        await signIn(owner.tenantId, [], { username: 'Alice', email: 'alice@example.com' });
        await signIn(owner.tenantId, [], { username: 'bob', email: 'ALbert@example.com' });
        await signIn(owner.tenantId, ['moderator'], { username: 'carol', email: 'carol@example.com' });
        await signIn(owner.tenantId, [], { username: 'dave', email: 'dave@example.com' });

        const al = await identity.listUsers(owner, { search: 'AL' });
        expect(al.items.map((u) => u.username).sort()).toEqual(['Alice', 'bob']);
        expect((await identity.listUsers(owner, { role: 'moderator' })).items.map((u) => u.username)).toEqual(['carol']);
        expect((await identity.listUsers(owner, { role: 'member', search: 'c' })).items).toEqual([]);

        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await identity.listUsers(owner, { limit: 2, cursor });
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((u) => u.userId));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toHaveLength(5);
        expect(new Set(seen).size).toBe(5);
        expect(seen).toEqual([...seen].sort());

        // A filtered page is full whenever more matches follow.
        const first = await identity.listUsers(owner, { limit: 1, role: 'member' });
        expect(first.items).toHaveLength(1);
        const rest = await identity.listUsers(owner, { limit: 10, role: 'member', cursor: first.nextCursor });
        // Alice, bob, dave and the bootstrap owner (who keeps member beside owner).
        expect(rest.items).toHaveLength(3);
        expect(rest.nextCursor).toBeUndefined();
        expect((await identity.countUsers(owner, {})).count).toBe(5);
      });

      it('rejects a cursor of another list', async () => {
        const owner = await tenantWithOwner();
        await signIn(owner.tenantId);
        const page = await identity.listUsers(owner, { limit: 1 });
        await identity.createAppKey(owner, { name: 'k' });
        expect(await codeOf(identity.listAppKeys(owner, { cursor: page.nextCursor }))).toBe('VALIDATION_FAILED');
      });
    });

    describe('roles and permissions', () => {
      it('answers roles, permissions and permission checks for a user (default: the caller)', async () => {
        const owner = await tenantWithOwner();
        const member = await signIn(owner.tenantId);
        const admin = await signIn(owner.tenantId, ['admin']);
        expect(await identity.getUserRoles(member, {})).toEqual({ roles: ['member'], permissions: permissionsOf(['member']) });
        expect(await identity.checkPermission(member, { permission: 'read:billing' })).toEqual({ permission: 'read:billing', allowed: true });
        expect((await identity.checkPermission(member, { permission: 'manage:hosting' })).allowed).toBe(false);
        expect((await identity.checkPermission(member, { permission: 'manage:billing', userId: owner.userId })).allowed).toBe(true);
        expect(await identity.checkPermissions(owner, { permissions: ['manage:billing', 'manage:keys'], userId: admin.userId })).toEqual({
          results: { 'manage:billing': false, 'manage:keys': true },
        });
        expect(await codeOf(identity.getUserRoles(owner, { userId: 'nobody' }))).toBe('NOT_FOUND');
      });

      it('lists built-in roles first, then custom ones; a custom role cannot take a built-in name', async () => {
        const owner = await tenantWithOwner();
        const role = await identity.upsertRole(owner, { name: 'reviewer', permissions: ['read:*', 'moderate:social'] });
        expect(role).toEqual({ name: 'reviewer', permissions: permissionsOf(['moderator']).filter((p) => p !== 'moderate:community'), builtIn: false });
        await identity.upsertRole(owner, { name: 'analyst', permissions: ['read:billing'] });
        const replaced = await identity.upsertRole(owner, { name: 'reviewer', permissions: ['post:social'] });
        expect(replaced.permissions).toEqual(['post:social']);

        const { items } = await identity.listRoles(owner, {});
        expect(items.map((r) => [r.name, r.builtIn])).toEqual([
          ['owner', true],
          ['admin', true],
          ['moderator', true],
          ['member', true],
          ['app', true],
          ['analyst', false],
          ['reviewer', false],
        ]);
        expect(items.find((r) => r.name === 'member')!.permissions).toEqual(permissionsOf(['member']));
        expect(await codeOf(identity.upsertRole(owner, { name: 'admin', permissions: ['read:*'] }))).toBe('CONFLICT');
        expect((await identity.listRoles(callerOf(newTenant()), {})).items).toHaveLength(5);
      });

      it('assigns built-in and defined custom roles; an undefined role or app is refused by name', async () => {
        const owner = await tenantWithOwner();
        const member = await signIn(owner.tenantId);
        const unknown = await errorOf(identity.updateUserRoles(owner, { userId: member.userId, roles: ['member', 'auditor'] }));
        expect(unknown.code).toBe('VALIDATION_FAILED');
        expect(unknown.message).toContain('auditor');
        expect(await codeOf(identity.updateUserRoles(owner, { userId: member.userId, roles: ['app'] }))).toBe('VALIDATION_FAILED');
        expect(await codeOf(identity.updateUserRoles(owner, { userId: member.userId, roles: ['Not-A-Role'] }))).toBe('VALIDATION_FAILED');

        await identity.upsertRole(owner, { name: 'auditor', permissions: ['read:billing', 'manage:keys'] });
        const updated = await identity.updateUserRoles(owner, { userId: member.userId, roles: ['member', 'auditor', 'member'] });
        expect(updated.roles).toEqual(['member', 'auditor']);
        const { permissions } = await identity.getUserRoles(owner, { userId: member.userId });
        expect(permissions).toContain('manage:keys');
        expect(permissions).toContain('post:social');
        // A custom role's definition is read at check time: changing it changes its holders.
        await identity.upsertRole(owner, { name: 'auditor', permissions: ['read:billing'] });
        expect((await identity.checkPermission(owner, { permission: 'manage:keys', userId: member.userId })).allowed).toBe(false);
        expect(await codeOf(identity.updateUserRoles(owner, { userId: 'nobody', roles: ['member'] }))).toBe('NOT_FOUND');
      });

      it('lets only owners make or unmake owners', async () => {
        const owner = await tenantWithOwner();
        const admin = await signIn(owner.tenantId, ['admin']);
        const member = await signIn(owner.tenantId);
        const forbidden = await errorOf(identity.updateUserRoles(admin, { userId: member.userId, roles: ['owner'] }));
        expect(forbidden.code).toBe('FORBIDDEN');
        expect(forbidden.message).toMatch(/only an owner can change owners/i);
        expect(await codeOf(identity.updateUserRoles(admin, { userId: owner.userId, roles: ['admin'] }))).toBe('FORBIDDEN');
        expect(await codeOf(identity.updateUserRoles(admin, { userId: owner.userId, roles: ['owner', 'member'] }))).toBe('FORBIDDEN');
        // An admin still manages everyone else.
        expect((await identity.updateUserRoles(admin, { userId: member.userId, roles: ['moderator'] })).roles).toEqual(['moderator']);
        expect((await identity.updateUserRoles(owner, { userId: member.userId, roles: ['owner'] })).roles).toEqual(['owner']);
      });

      it('keeps at least one owner: the last one cannot give up the role', async () => {
        const owner = await tenantWithOwner();
        const last = await errorOf(identity.updateUserRoles(owner, { userId: owner.userId, roles: ['admin'] }));
        expect(last.code).toBe('CONFLICT');
        expect(last.message).toMatch(/a tenant keeps at least one owner/i);
        expect((await identity.getUser(owner, {})).roles).toContain('owner');

        const second = await signIn(owner.tenantId);
        await identity.updateUserRoles(owner, { userId: second.userId, roles: ['owner'] });
        expect((await identity.updateUserRoles(owner, { userId: owner.userId, roles: ['admin'] })).roles).toEqual(['admin']);
        expect(await codeOf(identity.updateUserRoles({ ...second, roles: ['owner'] }, { userId: second.userId, roles: ['member'] }))).toBe('CONFLICT');
      });

      it('lets exactly one of two owners removing each other concurrently win, leaving one owner', async () => {
        const a = await tenantWithOwner();
        const b = await signIn(a.tenantId);
        await identity.updateUserRoles(a, { userId: b.userId, roles: ['owner'] });
        const asOwner = (ctx: CallContext) => ({ ...ctx, roles: ['owner'] });
        const results = await Promise.allSettled([
          identity.updateUserRoles(asOwner(a), { userId: b.userId, roles: ['member'] }),
          identity.updateUserRoles(asOwner(b), { userId: a.userId, roles: ['member'] }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect((r.reason as PlatformError).code).toBe('CONFLICT');
        const owners = await identity.listUsers(a, { role: 'owner' });
        expect(owners.items).toHaveLength(1);
        expect(owners.items[0]!.status).toBe('active');
      });

      it('counts concurrent role changes of one user once: the stale writes are CONFLICTs', async () => {
        const owner = await tenantWithOwner();
        const member = await signIn(owner.tenantId);
        const results = await Promise.allSettled(
          (['owner', 'admin', 'moderator', 'owner'] as const).map((role) => identity.updateUserRoles(owner, { userId: member.userId, roles: [role] })),
        );
        expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
        for (const r of results) if (r.status === 'rejected') expect((r.reason as PlatformError).code).toBe('CONFLICT');
        // Whatever won, the owner count matches the users: the first owner can leave only if the member became one.
        const memberIsOwner = (await identity.getUser(owner, { userId: member.userId })).roles.includes('owner');
        const leave = identity.updateUserRoles(owner, { userId: owner.userId, roles: ['admin'] });
        if (memberIsOwner) expect((await leave).roles).toEqual(['admin']);
        else expect(await codeOf(leave)).toBe('CONFLICT');
      });
    });

    describe('suspension', () => {
      it('suspends and unsuspends; a suspended user has no permissions and no one suspends themselves', async () => {
        const owner = await tenantWithOwner();
        const admin = await signIn(owner.tenantId, ['admin']);
        const member = await signIn(owner.tenantId);
        const suspended = await identity.suspendUser(admin, { userId: member.userId });
        expect(suspended.status).toBe('suspended');
        expect(await identity.suspendUser(admin, { userId: member.userId })).toEqual(suspended);
        expect((await identity.checkPermission(owner, { permission: 'read:users', userId: member.userId })).allowed).toBe(false);
        expect((await identity.getUserRoles(owner, { userId: member.userId })).roles).toEqual(['member']);
        expect((await identity.unsuspendUser(admin, { userId: member.userId })).status).toBe('active');
        expect((await identity.checkPermission(owner, { permission: 'read:users', userId: member.userId })).allowed).toBe(true);

        expect(await codeOf(identity.suspendUser(admin, { userId: admin.userId }))).toBe('CONFLICT');
        expect(await codeOf(identity.suspendUser(admin, { userId: 'nobody' }))).toBe('NOT_FOUND');
      });

      it('needs an owner to suspend an owner, and never suspends the last active one', async () => {
        const a = await tenantWithOwner();
        const admin = await signIn(a.tenantId, ['admin']);
        expect(await codeOf(identity.suspendUser(admin, { userId: a.userId }))).toBe('FORBIDDEN');
        // A caller the runtime still sees as owner, though the tenant's only active owner is `a`.
        const staleOwner = { ...admin, roles: ['owner'] };
        const last = await errorOf(identity.suspendUser(staleOwner, { userId: a.userId }));
        expect(last.code).toBe('CONFLICT');
        expect(last.message).toMatch(/at least one owner/i);

        const b = await signIn(a.tenantId);
        await identity.updateUserRoles(a, { userId: b.userId, roles: ['owner'] });
        expect((await identity.suspendUser(a, { userId: b.userId })).status).toBe('suspended');
        // A suspended owner does not count: `a` is the only active owner again.
        expect(await codeOf(identity.updateUserRoles(a, { userId: a.userId, roles: ['admin'] }))).toBe('CONFLICT');
        expect(await codeOf(identity.unsuspendUser(admin, { userId: b.userId }))).toBe('FORBIDDEN');
        await identity.unsuspendUser(a, { userId: b.userId });
        expect((await identity.updateUserRoles(a, { userId: a.userId, roles: ['admin'] })).roles).toEqual(['admin']);
      });

      it('lets exactly one of two owners suspending each other concurrently win', async () => {
        const a = await tenantWithOwner();
        const b = await signIn(a.tenantId);
        await identity.updateUserRoles(a, { userId: b.userId, roles: ['owner'] });
        const results = await Promise.allSettled([
          identity.suspendUser({ ...a, roles: ['owner'] }, { userId: b.userId }),
          identity.suspendUser({ ...b, roles: ['owner'] }, { userId: a.userId }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const active = (await identity.listUsers(a, { role: 'owner' })).items.filter((u) => u.status === 'active');
        expect(active).toHaveLength(1);
      });
    });

    describe('app keys', () => {
      it('creates a key shown once, lists it without secrets and resolves it to the app principal', async () => {
        const owner = await tenantWithOwner();
        const created = await identity.createAppKey(owner, { name: '  Build runner ' });
        const match = APP_KEY_PATTERN.exec(created.secret);
        expect(match?.[1]).toBe(owner.tenantId);
        expect(match?.[2]).toBe(created.keyId);
        expect(created).toMatchObject({ name: 'Build runner', createdBy: owner.userId });
        expect(created.prefix).toBe(created.secret.slice(0, `mzk.${owner.tenantId}.${created.keyId}.`.length + 4));
        expect(created.revokedAt).toBeUndefined();

        const { secret: _secret, ...listed } = created;
        expect((await identity.listAppKeys(owner, {})).items).toEqual([listed]);
        expect(JSON.stringify(await identity.listAppKeys(owner, {}))).not.toContain(created.secret);

        const resolver = callerOf(owner.tenantId, 'app-key-resolver', []);
        expect(await identity.resolveAppKey(resolver, { key: created.secret })).toEqual({
          tenantId: owner.tenantId,
          keyId: created.keyId,
          userId: `app:${created.keyId}`,
          roles: ['app'],
          permissions: permissionsOf(['app']),
        });
      });

      it('lists keys newest first, page by page', async () => {
        const owner = await tenantWithOwner();
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push((await identity.createAppKey(owner, { name: `k${i}` })).keyId);
        const first = await identity.listAppKeys(owner, { limit: 2 });
        expect(first.items.map((k) => k.keyId)).toEqual([ids[2], ids[1]]);
        const second = await identity.listAppKeys(owner, { limit: 2, cursor: first.nextCursor });
        expect(second.items.map((k) => k.keyId)).toEqual([ids[0]]);
        expect(second.nextCursor).toBeUndefined();
      });

      it('answers the same NOT_FOUND for unknown, tampered, foreign and revoked keys', async () => {
        const owner = await tenantWithOwner();
        const { secret, keyId } = await identity.createAppKey(owner, { name: 'k' });
        const resolver = callerOf(owner.tenantId, 'app-key-resolver', []);
        const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
        const unknownId = secret.replace(keyId, 'key_unknown');
        for (const [ctx, key] of [
          [resolver, tampered],
          [resolver, unknownId],
          [resolver, 'not-a-key-at-all'],
          [callerOf(newTenant(), 'app-key-resolver', []), secret],
        ] as const) {
          const error = await errorOf(identity.resolveAppKey(ctx, { key }));
          expect([error.code, error.message]).toEqual(['NOT_FOUND', 'Unknown or revoked app key']);
        }

        const revoked = await identity.revokeAppKey(owner, { keyId });
        expect(revoked.revokedAt).toBeDefined();
        expect(await identity.revokeAppKey(owner, { keyId })).toEqual(revoked);
        expect((await identity.listAppKeys(owner, {})).items).toEqual([revoked]);
        const error = await errorOf(identity.resolveAppKey(resolver, { key: secret }));
        expect([error.code, error.message]).toEqual(['NOT_FOUND', 'Unknown or revoked app key']);
      });

      it('lets an app-key caller ask about its own permissions', async () => {
        const owner = await tenantWithOwner();
        const { secret } = await identity.createAppKey(owner, { name: 'k' });
        const principal = await identity.resolveAppKey(callerOf(owner.tenantId, 'app-key-resolver', []), { key: secret });
        const app = callerOf(owner.tenantId, principal.userId, principal.roles);
        expect(await identity.checkPermissions(app, { permissions: ['report:hosting', 'manage:hosting'] })).toEqual({
          results: { 'report:hosting': true, 'manage:hosting': false },
        });
        expect(await codeOf(identity.getCurrentUser(app, {}))).toBe('NOT_FOUND');
        expect(await codeOf(identity.resolveUser(app, {}))).toBe('FORBIDDEN');
      });
    });

    describe('tenant isolation', () => {
      it("answers NOT_FOUND for another tenant's users and keys and changes nothing", async () => {
        const owner = await tenantWithOwner();
        const member = await signIn(owner.tenantId);
        const key = await identity.createAppKey(owner, { name: 'k' });
        const intruder = { ...(await tenantWithOwner()), roles: ['owner'] };

        expect(await codeOf(identity.getUser(intruder, { userId: member.userId }))).toBe('NOT_FOUND');
        expect(await codeOf(identity.getUserRoles(intruder, { userId: member.userId }))).toBe('NOT_FOUND');
        expect(await codeOf(identity.checkPermission(intruder, { permission: 'read:users', userId: member.userId }))).toBe('NOT_FOUND');
        expect(await codeOf(identity.updateUserRoles(intruder, { userId: member.userId, roles: ['admin'] }))).toBe('NOT_FOUND');
        expect(await codeOf(identity.suspendUser(intruder, { userId: member.userId }))).toBe('NOT_FOUND');
        expect(await codeOf(identity.revokeAppKey(intruder, { keyId: key.keyId }))).toBe('NOT_FOUND');
        expect((await identity.listUsers(intruder, {})).items.map((u) => u.userId)).toEqual([intruder.userId]);
        expect((await identity.listAppKeys(intruder, {})).items).toEqual([]);

        expect(await identity.getUser(owner, { userId: member.userId })).toMatchObject({ roles: ['member'], status: 'active' });
        expect((await identity.listAppKeys(owner, {})).items[0]!.revokedAt).toBeUndefined();
      });
    });
  });
}
