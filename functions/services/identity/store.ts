// Identity's store, over the table port. Operations decide; the store writes atomically under the
// conditions given and reports a lost race as CONFLICT. Every method is tenant-first. Invariants that
// span items are single writes: a user with the tenant's active-owner count (so "at least one owner"
// holds under concurrency), and a role assignment with a check that each custom role it names is defined.
import type { AppKey, User } from '#connectors/contracts/identity';
import { conflict, invalid } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { check, put, update, when, writeOrThrow, type Condition, type Table, type Write } from '#functions/shared/table';
import { KEY_PREFIX, OWNERS_SK, ROLE_PREFIX, USER_PREFIX, keySk, roleSk, tenantKey, tenantPk, userSk } from './keys.ts';
export type { Page, PageRequest };

/** The stored user: the public shape plus the version every change is conditioned on. */
export interface UserRecord extends User {
  version: number;
}

/** A tenant's own role; `permissions` are stored expanded (`read:*` already spelled out). */
export interface CustomRole {
  name: string;
  permissions: string[];
}

/** The stored key: only the SHA-256 of the whole key string, never the key itself. */
export interface AppKeyRecord extends AppKey {
  hash: string;
}

export interface UserFilter {
  /** Lower-case prefix of the username or the email. */
  search?: string;
  role?: string;
}

export interface UserChange {
  expectedVersion: number;
  /** How the tenant's count of active owners moves; -1 only while more than one remains. */
  ownerDelta: -1 | 0 | 1;
  /** Custom roles the new roles hold: each must still be defined when the write lands. */
  customRoles: string[];
}

export interface IdentityStore {
  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  /** Users in user-id order; a filtered page is still full unless the list ends. */
  listUsers(tenantId: string, page: PageRequest, filter: UserFilter): Promise<Page<UserRecord>>;
  countUsers(tenantId: string): Promise<number>;
  activeOwnerCount(tenantId: string): Promise<number>;
  /**
   * Creates a user seen for the first time; an active owner is counted in the same transaction, and
   * with `firstOwner` only while the tenant has none. False when a concurrent first sight of the
   * same user, or another first owner, won: read again and decide again.
   */
  createUser(tenantId: string, user: UserRecord, options: { firstOwner: boolean }): Promise<boolean>;
  /** Replaces the user at `expectedVersion`, moving the owner count and checking custom roles in one transaction. */
  updateUser(tenantId: string, user: UserRecord, change: UserChange): Promise<void>;
  /** Best effort, and outside the version: a login must not make a concurrent role change fail. */
  recordLogin(tenantId: string, userId: string, at: string): Promise<void>;

  /** The tenant's custom roles, by name. */
  listRoles(tenantId: string): Promise<CustomRole[]>;
  putRole(tenantId: string, role: CustomRole): Promise<void>;

  getAppKey(tenantId: string, keyId: string): Promise<AppKeyRecord | undefined>;
  /** Newest first (key ids are time-ordered). */
  listAppKeys(tenantId: string, page: PageRequest): Promise<Page<AppKeyRecord>>;
  createAppKey(tenantId: string, key: AppKeyRecord): Promise<void>;
  /** Sets `revokedAt` unless the key is already revoked; false if it was (or is gone). */
  revokeAppKey(tenantId: string, keyId: string, at: string): Promise<boolean>;
}

export const CHANGED_CONCURRENTLY = 'The user changed while you were updating it; read it again and retry';
export const KEY_ID_TAKEN = 'An app key with this id already exists; try again';
export const LAST_OWNER = 'A tenant keeps at least one owner';
/** A role that is neither built in nor defined in the tenant; names the role so the caller can fix it. */
export const unknownRole = (role: string) =>
  invalid(`roles: ${role} is not a role of this tenant`, { issues: [{ field: 'roles', message: `${role} is not a role of this tenant` }] });

/** Whether the user counts in the tenant's active-owner count. */
export const isActiveOwner = (user: Pick<User, 'roles' | 'status'>): boolean => user.status === 'active' && user.roles.includes('owner');

/** Attributes only the store reads: there is no case-insensitive compare, so search runs on lower-cased copies. */
const SEARCH_USERNAME = 'searchUsername';
const SEARCH_EMAIL = 'searchEmail';

function userFilter({ search, role }: UserFilter): Condition | undefined {
  const clauses: Condition[] = [];
  if (search !== undefined) clauses.push(when.or(when.beginsWith(SEARCH_USERNAME, search), when.beginsWith(SEARCH_EMAIL, search)));
  if (role !== undefined) clauses.push(when.contains('roles', role));
  return clauses.length === 0 ? undefined : when.and(...clauses);
}

function toRecord(stored: UserRecord): UserRecord {
  const { [SEARCH_USERNAME]: _username, [SEARCH_EMAIL]: _email, ...user } = stored as UserRecord & Record<string, unknown>;
  return user as UserRecord;
}

export function createIdentityStore(table: Table): IdentityStore {
  const userKey = (tenantId: string, userId: string) => tenantKey(tenantId, userSk(userId));
  const putUser = (tenantId: string, user: UserRecord, condition: Condition) =>
    put(userKey(tenantId, user.userId), { ...user, [SEARCH_USERNAME]: user.username.toLowerCase(), [SEARCH_EMAIL]: user.email.toLowerCase() }, condition);

  /** Moves the active-owner count; a decrement only while more than one owner remains, a first owner only while there is none. */
  const ownerCount = (tenantId: string, delta: -1 | 1, firstOwner = false): Write => {
    const condition = delta < 0 ? when.above('count', 1) : firstOwner ? when.or(when.missing('count'), when.below('count', 1)) : undefined;
    return update(tenantKey(tenantId, OWNERS_SK), { add: { count: delta } }, condition);
  };

  return {
    async getUser(tenantId, userId) {
      const user = await table.get<UserRecord>(userKey(tenantId, userId));
      return user && toRecord(user);
    },

    async listUsers(tenantId, page, filter) {
      const users = await table.query<UserRecord>(tenantPk(tenantId), USER_PREFIX, page, { filter: userFilter(filter) });
      return { ...users, items: users.items.map(toRecord) };
    },

    countUsers: (tenantId) => table.count(tenantPk(tenantId), USER_PREFIX),

    async activeOwnerCount(tenantId) {
      return (await table.get<{ count?: number }>(tenantKey(tenantId, OWNERS_SK)))?.count ?? 0;
    },

    async createUser(tenantId, user, { firstOwner }) {
      const writes = [putUser(tenantId, user, when.notExists()), ...(isActiveOwner(user) ? [ownerCount(tenantId, 1, firstOwner)] : [])];
      // False: the user appeared, the tenant got its first owner, or a concurrent write got in the way: decide again.
      return (await table.write(writes)).ok;
    },

    async updateUser(tenantId, user, { expectedVersion, ownerDelta, customRoles }) {
      const writes = [
        putUser(tenantId, user, when.eq('version', expectedVersion)),
        ...(ownerDelta !== 0 ? [ownerCount(tenantId, ownerDelta)] : []),
        ...customRoles.map((role) => check(tenantKey(tenantId, roleSk(role)), when.exists())),
      ];
      const firstRoleCheck = writes.length - customRoles.length;
      await writeOrThrow(table, writes, (failed, raced) => {
        // The most telling reason first: a stale read explains everything after it.
        if (failed[0] || raced) return conflict(CHANGED_CONCURRENTLY);
        if (ownerDelta !== 0 && failed[1]) return conflict(LAST_OWNER);
        const missing = customRoles.find((_, i) => failed[firstRoleCheck + i]);
        return missing === undefined ? conflict(CHANGED_CONCURRENTLY) : unknownRole(missing);
      });
    },

    async recordLogin(tenantId, userId, at) {
      // A user that is gone has no login to record.
      await table.write([update(userKey(tenantId, userId), { set: { lastLoginAt: at } }, when.exists())]);
    },

    listRoles: (tenantId) => table.all<CustomRole>(tenantPk(tenantId), ROLE_PREFIX),

    async putRole(tenantId, role) {
      await table.write([put(tenantKey(tenantId, roleSk(role.name)), role)]);
    },

    getAppKey: (tenantId, keyId) => table.get<AppKeyRecord>(tenantKey(tenantId, keySk(keyId))),

    listAppKeys: (tenantId, page) => table.query<AppKeyRecord>(tenantPk(tenantId), KEY_PREFIX, page, { newestFirst: true }),

    async createAppKey(tenantId, appKey) {
      await writeOrThrow(table, [put(tenantKey(tenantId, keySk(appKey.keyId)), appKey, when.notExists())], () => conflict(KEY_ID_TAKEN));
    },

    async revokeAppKey(tenantId, keyId, at) {
      const outcome = await table.write([update(tenantKey(tenantId, keySk(keyId)), { set: { revokedAt: at } }, when.and(when.exists(), when.missing('revokedAt')))]);
      return outcome.ok;
    },
  };
}
