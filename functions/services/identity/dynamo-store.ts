// Identity store on DynamoDB. Invariants that span items are single transactions: a user with the
// tenant's active-owner count (so "at least one owner" holds under concurrency), and a role
// assignment with a check that each custom role it names is defined.
import { PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#connectors/wire';
import { createDynamoTable, key, lostRace, stored, type Filter, type TransactItems } from '#functions/shared/dynamo-table';
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

/** Attributes only the store reads: DynamoDB has no case-insensitive compare, so search runs on lower-cased copies. */
const SEARCH_USERNAME = 'searchUsername';
const SEARCH_EMAIL = 'searchEmail';

function userFilter({ search, role }: UserFilter): Filter | undefined {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (search !== undefined) {
    clauses.push('(begins_with(#username, :search) OR begins_with(#email, :search))');
    Object.assign(names, { '#username': SEARCH_USERNAME, '#email': SEARCH_EMAIL });
    values[':search'] = search;
  }
  if (role !== undefined) {
    clauses.push('contains(#roles, :role)');
    names['#roles'] = 'roles';
    values[':role'] = role;
  }
  return clauses.length === 0 ? undefined : { FilterExpression: clauses.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export function createDynamoIdentityStore(db: DynamoDBDocumentClient, tableName: string): IdentityStore {
  const { get, list, all, count, conditionalWrite, transact } = createDynamoTable(db, tableName, {
    changedConcurrently: CHANGED_CONCURRENTLY,
    internal: [SEARCH_USERNAME, SEARCH_EMAIL],
  });

  const storedUser = (tenantId: string, user: UserRecord) => ({
    ...stored(tenantId, userSk(user.userId), user),
    [SEARCH_USERNAME]: user.username.toLowerCase(),
    [SEARCH_EMAIL]: user.email.toLowerCase(),
  });

  /** Moves the active-owner count; a decrement only while more than one owner remains, a first owner only while there is none. */
  const ownerCountUpdate = (tenantId: string, delta: -1 | 1, firstOwner = false) => ({
    Update: {
      TableName: tableName,
      Key: key(tenantId, OWNERS_SK),
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ...(delta < 0
        ? { ConditionExpression: '#count > :one', ExpressionAttributeValues: { ':delta': delta, ':one': 1 } }
        : firstOwner
          ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :one', ExpressionAttributeValues: { ':delta': delta, ':one': 1 } }
          : { ExpressionAttributeValues: { ':delta': delta } }),
    },
  });

  return {
    getUser: (tenantId, userId) => get<UserRecord>(tenantId, userSk(userId)),

    // Filled pages: the port promises a filtered page is still full unless the list ends.
    listUsers: (tenantId, page, filter) => list<UserRecord>(tenantId, USER_PREFIX, page, { newestFirst: false, fill: true, filter: userFilter(filter) }),

    countUsers: (tenantId) => count(tenantId, USER_PREFIX),

    async activeOwnerCount(tenantId) {
      return (await get<{ count?: number }>(tenantId, OWNERS_SK))?.count ?? 0;
    },

    async createUser(tenantId, user, { firstOwner }) {
      const items: TransactItems = [
        { Put: { TableName: tableName, Item: storedUser(tenantId, user), ConditionExpression: 'attribute_not_exists(pk)' } },
      ];
      if (isActiveOwner(user)) items.push(ownerCountUpdate(tenantId, 1, firstOwner));
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        // The user appeared, the tenant got its first owner, or a concurrent write got in the way: decide again.
        if (lostRace(error)) return false;
        throw error;
      }
    },

    async updateUser(tenantId, user, { expectedVersion, ownerDelta, customRoles }) {
      const items: TransactItems = [
        {
          Put: {
            TableName: tableName,
            Item: storedUser(tenantId, user),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
          },
        },
      ];
      if (ownerDelta !== 0) items.push(ownerCountUpdate(tenantId, ownerDelta));
      const firstRoleCheck = items.length;
      for (const role of customRoles) {
        items.push({ ConditionCheck: { TableName: tableName, Key: key(tenantId, roleSk(role)), ConditionExpression: 'attribute_exists(pk)' } });
      }
      await transact(items, (failed, raced) => {
        // The most telling reason first: a stale read explains everything after it.
        if (failed[0] || raced) throw conflict(CHANGED_CONCURRENTLY);
        if (ownerDelta !== 0 && failed[1]) throw conflict(LAST_OWNER);
        const missing = customRoles.find((_, i) => failed[firstRoleCheck + i]);
        throw missing === undefined ? conflict(CHANGED_CONCURRENTLY) : unknownRole(missing);
      });
    },

    async recordLogin(tenantId, userId, at) {
      // A user that is gone has no login to record.
      await conditionalWrite(
        new UpdateCommand({
          TableName: tableName,
          Key: key(tenantId, userSk(userId)),
          UpdateExpression: 'SET lastLoginAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },

    listRoles: (tenantId) => all<CustomRole>(tenantId, ROLE_PREFIX),

    async putRole(tenantId, role) {
      await db.send(new PutCommand({ TableName: tableName, Item: stored(tenantId, roleSk(role.name), role) }));
    },

    getAppKey: (tenantId, keyId) => get<AppKeyRecord>(tenantId, keySk(keyId)),

    listAppKeys: (tenantId, page) => list<AppKeyRecord>(tenantId, KEY_PREFIX, page, { newestFirst: true, fill: true }),

    async createAppKey(tenantId, appKey) {
      const put = new PutCommand({ TableName: tableName, Item: stored(tenantId, keySk(appKey.keyId), appKey), ConditionExpression: 'attribute_not_exists(pk)' });
      if (!(await conditionalWrite(put))) throw conflict(KEY_ID_TAKEN);
    },

    revokeAppKey: (tenantId, keyId, at) =>
      conditionalWrite(
        new UpdateCommand({
          TableName: tableName,
          Key: key(tenantId, keySk(keyId)),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
  };
}
