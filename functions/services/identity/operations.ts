// Identity's rules: users seen just in time, role assignments that always leave the tenant an owner,
// custom roles, and app API keys stored only as hashes. Each change is written through the store under
// a condition, so a concurrent change makes the write fail (CONFLICT) instead of silently winning.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_KEY_PATTERN, type AppKey, type IdentityContract, type User } from '#connectors/contracts/identity';
import { BUILT_IN_ROLES, expandGrants, isBuiltInRole, permissionsOf } from '#connectors/contracts/permissions';
import { PlatformError, conflict, invalid, notFound, type CallContext } from '#connectors/contracts/wire';
import type { OperationsOf } from '#functions/shared/service-handler';
import { newId } from './keys.ts';
import { CHANGED_CONCURRENTLY, isActiveOwner, unknownRole, type AppKeyRecord, type IdentityStore, type UserRecord } from './store.ts';

/** A login refreshes `lastLoginAt` at most this often, so cache misses do not turn into writes. */
export const LOGIN_REFRESH_MS = 5 * 60_000;
export const OWNER_ROLE = 'owner';
/** The API-key principal's role: given by resolveAppKey, never assigned to a user. */
export const APP_ROLE = 'app';
/** App-key principals act as `app:<keyId>`; no user id of a token may look like one. */
export const APP_USER_PREFIX = 'app:';
export const UNKNOWN_APP_KEY = 'Unknown or revoked app key';
export const ONLY_OWNERS_CHANGE_OWNERS = 'Only an owner can change owners';
/** Tries of a first sight that keeps losing races (the same user, or another first owner, created meanwhile). */
const RESOLVE_ATTEMPTS = 3;
/** The tenant id is part of the key string, which APP_KEY_PATTERN must be able to parse back. */
const KEY_TENANT = /^[A-Za-z0-9_-]{1,64}$/;

export interface IdentityDeps {
  store: IdentityStore;
  now?: () => Date;
}

const toUser = ({ version: _version, ...user }: UserRecord): User => user;
const toAppKey = ({ hash: _hash, ...key }: AppKeyRecord): AppKey => key;
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const unknownAppKey = () => new PlatformError('NOT_FOUND', UNKNOWN_APP_KEY);

/** A first sight's roles: the token's built-in roles, but never `app` (that one is for API keys only). */
function rolesFromToken(tokenRoles: readonly string[]): string[] {
  const roles = [...new Set(tokenRoles.filter((role) => isBuiltInRole(role) && role !== APP_ROLE))];
  return roles.length > 0 ? roles : ['member'];
}

/** How a change moves the tenant's count of active owners. */
const ownerDelta = (before: UserRecord, after: UserRecord) => (Number(isActiveOwner(after)) - Number(isActiveOwner(before))) as -1 | 0 | 1;

export function createIdentityOperations({ store, now = () => new Date() }: IdentityDeps): OperationsOf<IdentityContract> {
  async function loadUser(ctx: CallContext, userId = ctx.userId): Promise<UserRecord> {
    const user = await store.getUser(ctx.tenantId, userId);
    if (!user) throw notFound('User');
    return user;
  }

  /** Permissions of a set of roles; the tenant's definitions are read only when a custom role is among them. */
  async function permissionsFor(tenantId: string, roles: readonly string[]) {
    if (roles.every(isBuiltInRole)) return permissionsOf(roles);
    const custom = await store.listRoles(tenantId);
    return permissionsOf(roles, Object.fromEntries(custom.map((role) => [role.name, role.permissions])));
  }

  /** Whose permissions a question is about: a stored user, or the calling app key (which has no user). */
  async function subject(ctx: CallContext, userId = ctx.userId): Promise<{ roles: string[]; active: boolean }> {
    const user = await store.getUser(ctx.tenantId, userId);
    if (user) return { roles: user.roles, active: user.status === 'active' };
    if (userId === ctx.userId && ctx.userId.startsWith(APP_USER_PREFIX)) return { roles: ctx.roles, active: true };
    throw notFound('User');
  }

  /** Admins manage everyone but owners: touching an owner, or making one, takes an owner. */
  function assertMayChangeOwners(ctx: CallContext, user: UserRecord, nextRoles: readonly string[] = user.roles) {
    if ((user.roles.includes(OWNER_ROLE) || nextRoles.includes(OWNER_ROLE)) && !ctx.roles.includes(OWNER_ROLE)) {
      throw new PlatformError('FORBIDDEN', ONLY_OWNERS_CHANGE_OWNERS);
    }
  }

  /**
   * Nobody gives rights they were not given: of the permissions `granted`, those the holder does not
   * have `already` must all be the caller's own. (Owners hold every permission, so `manage:billing`,
   * which admins lack, can only ever come from an owner.)
   */
  async function assertCallerHolds(ctx: CallContext, granted: readonly string[], already: readonly string[] = []) {
    const mine = new Set<string>([...(await permissionsFor(ctx.tenantId, ctx.roles)), ...already]);
    const lacking = granted.filter((permission) => !mine.has(permission));
    if (lacking.length > 0) {
      throw new PlatformError('FORBIDDEN', `You cannot grant permissions you do not hold: ${lacking.join(', ')}`, { permissions: lacking });
    }
  }

  async function saveUser(ctx: CallContext, user: UserRecord, changes: Partial<UserRecord>, customRoles: string[] = []): Promise<User> {
    const next: UserRecord = { ...user, ...changes, version: user.version + 1 };
    await store.updateUser(ctx.tenantId, next, { expectedVersion: user.version, ownerDelta: ownerDelta(user, next), customRoles });
    return toUser(next);
  }

  async function resolved(ctx: CallContext, user: UserRecord) {
    return { user: toUser(user), roles: user.roles, permissions: await permissionsFor(ctx.tenantId, user.roles) };
  }

  async function recordLogin(ctx: CallContext, user: UserRecord): Promise<UserRecord> {
    const at = now();
    const stale = !user.lastLoginAt || at.getTime() - Date.parse(user.lastLoginAt) >= LOGIN_REFRESH_MS;
    if (user.status !== 'active' || !stale) return user;
    await store.recordLogin(ctx.tenantId, user.userId, at.toISOString());
    return { ...user, lastLoginAt: at.toISOString() };
  }

  return {
    async resolveUser(ctx, { email, username, displayName, tokenRoles }) {
      if (ctx.userId.startsWith(APP_USER_PREFIX)) throw new PlatformError('FORBIDDEN', `User ids starting with ${APP_USER_PREFIX} are reserved for app keys`);
      for (let attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
        const existing = await store.getUser(ctx.tenantId, ctx.userId);
        if (existing) return resolved(ctx, await recordLogin(ctx, existing));

        const roles = rolesFromToken(tokenRoles);
        // Bootstrap: the first user of a tenant owns it. The store grants it only while the tenant has no owner.
        const firstOwner = !roles.includes(OWNER_ROLE) && (await store.activeOwnerCount(ctx.tenantId)) === 0;
        if (firstOwner) roles.push(OWNER_ROLE);
        const name = username?.trim() || email?.split('@')[0]?.trim() || ctx.userId;
        const at = now().toISOString();
        const user: UserRecord = {
          userId: ctx.userId,
          username: name,
          email: email?.trim() ?? '',
          displayName: displayName?.trim() || name,
          roles,
          status: 'active',
          createdAt: at,
          lastLoginAt: at,
          version: 1,
        };
        if (await store.createUser(ctx.tenantId, user, { firstOwner })) return resolved(ctx, user);
      }
      throw conflict(CHANGED_CONCURRENTLY);
    },

    async getCurrentUser(ctx) {
      return toUser(await loadUser(ctx));
    },

    async getUser(ctx, { userId }) {
      return toUser(await loadUser(ctx, userId));
    },

    async listUsers(ctx, { limit, cursor, search, role }) {
      const page = await store.listUsers(ctx.tenantId, { limit, cursor }, { search: search?.toLowerCase(), role });
      return { items: page.items.map(toUser), nextCursor: page.nextCursor };
    },

    async countUsers(ctx) {
      return { count: await store.countUsers(ctx.tenantId) };
    },

    async getUserRoles(ctx, { userId }) {
      const { roles } = await subject(ctx, userId);
      return { roles, permissions: await permissionsFor(ctx.tenantId, roles) };
    },

    async updateUserRoles(ctx, { userId, roles: requested }) {
      const user = await loadUser(ctx, userId);
      const roles = [...new Set(requested)];
      if (roles.includes(APP_ROLE)) {
        throw invalid('roles: app is the API-key role and cannot be given to a user', { issues: [{ field: 'roles', message: 'app cannot be given to a user' }] });
      }
      const customRoles = roles.filter((role) => !isBuiltInRole(role));
      if (customRoles.length > 0) {
        const defined = new Set((await store.listRoles(ctx.tenantId)).map((role) => role.name));
        const missing = customRoles.find((role) => !defined.has(role));
        if (missing !== undefined) throw unknownRole(missing);
      }
      assertMayChangeOwners(ctx, user, roles);
      const [granted, held] = await Promise.all([permissionsFor(ctx.tenantId, roles), permissionsFor(ctx.tenantId, user.roles)]);
      await assertCallerHolds(ctx, granted, held);
      // The store re-checks the custom roles in the same transaction, so a role cannot be assigned unless defined.
      return saveUser(ctx, user, { roles }, customRoles);
    },

    async checkPermission(ctx, { permission, userId }) {
      const { roles, active } = await subject(ctx, userId);
      // A suspended user may do nothing, whatever its roles say.
      const allowed = active && (await permissionsFor(ctx.tenantId, roles)).includes(permission);
      return { permission, allowed };
    },

    async checkPermissions(ctx, { permissions, userId }) {
      const { roles, active } = await subject(ctx, userId);
      const granted = new Set<string>(active ? await permissionsFor(ctx.tenantId, roles) : []);
      return { results: Object.fromEntries(permissions.map((permission) => [permission, granted.has(permission)])) };
    },

    async listRoles(ctx) {
      const builtIn = Object.entries(BUILT_IN_ROLES).map(([name, grants]) => ({ name, permissions: expandGrants(grants), builtIn: true }));
      const custom = (await store.listRoles(ctx.tenantId)).map((role) => ({ ...role, builtIn: false }));
      return { items: [...builtIn, ...custom] };
    },

    async upsertRole(ctx, { name, permissions }) {
      if (isBuiltInRole(name)) throw conflict(`${name} is a built-in role and cannot be redefined`, { field: 'name' });
      const role = { name, permissions: expandGrants(permissions) };
      await assertCallerHolds(ctx, role.permissions);
      await store.putRole(ctx.tenantId, role);
      return { ...role, builtIn: false };
    },

    async suspendUser(ctx, { userId }) {
      const user = await loadUser(ctx, userId);
      // Locking yourself out is never what an admin meant; another admin or owner can do it.
      if (userId === ctx.userId) throw conflict('You cannot suspend yourself');
      assertMayChangeOwners(ctx, user);
      if (user.status === 'suspended') return toUser(user);
      return saveUser(ctx, user, { status: 'suspended' });
    },

    async unsuspendUser(ctx, { userId }) {
      const user = await loadUser(ctx, userId);
      assertMayChangeOwners(ctx, user);
      if (user.status === 'active') return toUser(user);
      return saveUser(ctx, user, { status: 'active' });
    },

    async createAppKey(ctx, { name }) {
      if (!KEY_TENANT.test(ctx.tenantId)) throw conflict('This tenant id cannot be carried in an app key');
      const at = now();
      const keyId = newId('key', at);
      const head = `mzk.${ctx.tenantId}.${keyId}.`;
      const key = head + randomBytes(32).toString('base64url');
      const record: AppKeyRecord = {
        keyId,
        name,
        prefix: key.slice(0, head.length + 4),
        createdAt: at.toISOString(),
        createdBy: ctx.userId,
        hash: sha256(key).toString('hex'),
      };
      await store.createAppKey(ctx.tenantId, record);
      return { ...toAppKey(record), secret: key };
    },

    async listAppKeys(ctx, { limit, cursor }) {
      const page = await store.listAppKeys(ctx.tenantId, { limit, cursor });
      return { items: page.items.map(toAppKey), nextCursor: page.nextCursor };
    },

    async revokeAppKey(ctx, { keyId }) {
      const key = await store.getAppKey(ctx.tenantId, keyId);
      if (!key) throw notFound('App key');
      if (key.revokedAt) return toAppKey(key);
      const revokedAt = now().toISOString();
      if (await store.revokeAppKey(ctx.tenantId, keyId, revokedAt)) return toAppKey({ ...key, revokedAt });
      // Revoked concurrently: answer with the revocation that won.
      const revoked = await store.getAppKey(ctx.tenantId, keyId);
      if (!revoked) throw notFound('App key');
      return toAppKey(revoked);
    },

    async resolveAppKey(ctx, { key }) {
      // One answer for every failure, so a caller learns nothing about which part was wrong.
      const match = APP_KEY_PATTERN.exec(key);
      if (!match || match[1] !== ctx.tenantId) throw unknownAppKey();
      const keyId = match[2]!;
      const record = await store.getAppKey(ctx.tenantId, keyId);
      if (!record || record.revokedAt) throw unknownAppKey();
      const stored = Buffer.from(record.hash, 'hex');
      const presented = sha256(key);
      if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) throw unknownAppKey();
      return { tenantId: ctx.tenantId, keyId, userId: APP_USER_PREFIX + keyId, roles: [APP_ROLE], permissions: permissionsOf([APP_ROLE]) };
    },
  };
}
