// In-memory Identity store for mock mode and unit tests. Each method checks its conditions and writes
// without awaiting in between, so it is atomic on Node's single thread just as a transaction is.
import { conflict } from '#connectors/wire';
import { createMemoryTable } from '#functions/shared/memory-table';
import { KEY_PREFIX, OWNERS_SK, ROLE_PREFIX, USER_PREFIX, keySk, roleSk, userSk } from './keys.ts';
import {
  CHANGED_CONCURRENTLY,
  KEY_ID_TAKEN,
  LAST_OWNER,
  isActiveOwner,
  unknownRole,
  type AppKeyRecord,
  type CustomRole,
  type IdentityStore,
  type UserFilter,
  type UserRecord,
} from './store.ts';

type Item = UserRecord | CustomRole | AppKeyRecord | { count: number };

const matchesUser = (user: UserRecord, { search, role }: UserFilter): boolean =>
  (search === undefined || user.username.toLowerCase().startsWith(search) || user.email.toLowerCase().startsWith(search)) &&
  (role === undefined || user.roles.includes(role));

export function createMemoryIdentityStore(): IdentityStore {
  const { partition, read, write, list } = createMemoryTable<Item>();
  const owners = (tenantId: string) => (partition(tenantId).get(OWNERS_SK) as { count: number } | undefined)?.count ?? 0;
  const addOwners = (tenantId: string, delta: number) => write(tenantId, OWNERS_SK, { count: owners(tenantId) + delta });

  return {
    async getUser(tenantId, userId) {
      return read<UserRecord>(tenantId, userSk(userId));
    },
    async listUsers(tenantId, page, filter) {
      return list<UserRecord>(tenantId, USER_PREFIX, page, { newestFirst: false, keep: (user) => matchesUser(user, filter) });
    },
    async countUsers(tenantId) {
      return [...partition(tenantId).keys()].filter((sk) => sk.startsWith(USER_PREFIX)).length;
    },
    async activeOwnerCount(tenantId) {
      return owners(tenantId);
    },
    async createUser(tenantId, user, { firstOwner }) {
      if (partition(tenantId).has(userSk(user.userId))) return false;
      const countsAsOwner = isActiveOwner(user);
      if (countsAsOwner && firstOwner && owners(tenantId) > 0) return false;
      write(tenantId, userSk(user.userId), user);
      if (countsAsOwner) addOwners(tenantId, 1);
      return true;
    },
    async updateUser(tenantId, user, { expectedVersion, ownerDelta, customRoles }) {
      const current = partition(tenantId).get(userSk(user.userId)) as UserRecord | undefined;
      if (current?.version !== expectedVersion) throw conflict(CHANGED_CONCURRENTLY);
      if (ownerDelta < 0 && owners(tenantId) <= 1) throw conflict(LAST_OWNER);
      const missing = customRoles.find((role) => !partition(tenantId).has(roleSk(role)));
      if (missing !== undefined) throw unknownRole(missing);
      write(tenantId, userSk(user.userId), user);
      if (ownerDelta !== 0) addOwners(tenantId, ownerDelta);
    },
    async recordLogin(tenantId, userId, at) {
      const user = partition(tenantId).get(userSk(userId)) as UserRecord | undefined;
      if (user) user.lastLoginAt = at;
    },

    async listRoles(tenantId) {
      return [...partition(tenantId).keys()]
        .filter((sk) => sk.startsWith(ROLE_PREFIX))
        .sort()
        .map((sk) => read<CustomRole>(tenantId, sk)!);
    },
    async putRole(tenantId, role) {
      write(tenantId, roleSk(role.name), role);
    },

    async getAppKey(tenantId, keyId) {
      return read<AppKeyRecord>(tenantId, keySk(keyId));
    },
    async listAppKeys(tenantId, page) {
      return list<AppKeyRecord>(tenantId, KEY_PREFIX, page, { newestFirst: true });
    },
    async createAppKey(tenantId, key) {
      if (partition(tenantId).has(keySk(key.keyId))) throw conflict(KEY_ID_TAKEN);
      write(tenantId, keySk(key.keyId), key);
    },
    async revokeAppKey(tenantId, keyId, at) {
      const key = partition(tenantId).get(keySk(keyId)) as AppKeyRecord | undefined;
      if (!key || key.revokedAt) return false;
      key.revokedAt = at;
      return true;
    },
  };
}
