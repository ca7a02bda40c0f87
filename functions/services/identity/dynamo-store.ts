// Identity store on DynamoDB. Invariants that span items are single transactions: a user with the
// tenant's active-owner count (so "at least one owner" holds under concurrency), and a role
// assignment with a check that each custom role it names is defined.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { conflict } from '#connectors/wire';
import { KEY_PREFIX, OWNERS_SK, ROLE_PREFIX, USER_PREFIX, decodeCursor, encodeCursor, keySk, roleSk, tenantPk, userSk } from './keys.ts';
import {
  CHANGED_CONCURRENTLY,
  KEY_ID_TAKEN,
  LAST_OWNER,
  isActiveOwner,
  unknownRole,
  type AppKeyRecord,
  type CustomRole,
  type IdentityStore,
  type Page,
  type PageRequest,
  type UserFilter,
  type UserRecord,
} from './store.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
type Filter = Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/** Attributes only the store reads: DynamoDB has no case-insensitive compare, so search runs on lower-cased copies. */
const SEARCH_USERNAME = 'searchUsername';
const SEARCH_EMAIL = 'searchEmail';
/** Items read per query while a filter skips some (a query's Limit counts items read, not items kept). */
const FILTERED_READ = 100;

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, [SEARCH_USERNAME]: _username, [SEARCH_EMAIL]: _email, ...rest } = item;
  return rest as T;
};

type Reason = 'condition' | 'conflict' | undefined;
/** Why each transaction item failed (in request order), or undefined if this is not a cancelled transaction. */
function cancellationReasons(error: unknown): Reason[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) =>
    reason.Code === 'ConditionalCheckFailed' ? 'condition' : reason.Code === 'TransactionConflict' ? 'conflict' : undefined,
  );
}

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
  const key = (tenantId: string, sk: string) => ({ pk: tenantPk(tenantId), sk });
  const get = async <T>(tenantId: string, sk: string) =>
    strip<T>((await db.send(new GetCommand({ TableName: tableName, Key: key(tenantId, sk), ConsistentRead: true }))).Item);

  const storedUser = (tenantId: string, user: UserRecord) => ({
    ...key(tenantId, userSk(user.userId)),
    ...user,
    [SEARCH_USERNAME]: user.username.toLowerCase(),
    [SEARCH_EMAIL]: user.email.toLowerCase(),
  });

  /**
   * One page in key order. Reads one item past the page to know whether another page exists, so the
   * cursor (the last shown sort key) is only given when there is more to show.
   */
  async function list<T>(tenantId: string, prefix: string, { limit, cursor }: PageRequest, newestFirst: boolean, filter?: Filter): Promise<Page<T>> {
    const items: Record<string, unknown>[] = [];
    let start = decodeCursor(cursor, prefix);
    do {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ...filter,
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix, ...filter?.ExpressionAttributeValues },
          ScanIndexForward: !newestFirst,
          Limit: filter ? FILTERED_READ : limit + 1 - items.length,
          ...(start !== undefined && { ExclusiveStartKey: key(tenantId, start) }),
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey?.sk as string | undefined;
    } while (items.length <= limit && start !== undefined);
    const shown = items.slice(0, limit);
    const last = shown.at(-1)?.sk as string | undefined;
    return { items: shown.map((item) => strip<T>(item)!), ...(items.length > limit && last && { nextCursor: encodeCursor(last) }) };
  }

  /** Every item under a prefix (small sets: a tenant's custom roles), or just their number. */
  async function queryAll(tenantId: string, prefix: string, countOnly: boolean): Promise<{ items: Record<string, unknown>[]; count: number }> {
    const items: Record<string, unknown>[] = [];
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix },
          ...(countOnly && { Select: 'COUNT' as const }),
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      items.push(...(result.Items ?? []));
      count += result.Count ?? 0;
      start = result.LastEvaluatedKey;
    } while (start);
    return { items, count };
  }

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

    listUsers: (tenantId, page, filter) => list<UserRecord>(tenantId, USER_PREFIX, page, false, userFilter(filter)),

    async countUsers(tenantId) {
      return (await queryAll(tenantId, USER_PREFIX, true)).count;
    },

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
        if (cancellationReasons(error)?.some(Boolean)) return false;
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
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons?.some(Boolean)) throw error;
        // The most telling reason first: a stale read explains everything after it.
        if (reasons[0] || reasons.includes('conflict')) throw conflict(CHANGED_CONCURRENTLY);
        if (ownerDelta !== 0 && reasons[1]) throw conflict(LAST_OWNER);
        const missing = customRoles.find((_, i) => reasons[firstRoleCheck + i]);
        throw missing === undefined ? conflict(CHANGED_CONCURRENTLY) : unknownRole(missing);
      }
    },

    async recordLogin(tenantId, userId, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(tenantId, userSk(userId)),
            UpdateExpression: 'SET lastLoginAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async listRoles(tenantId) {
      return (await queryAll(tenantId, ROLE_PREFIX, false)).items.map((item) => strip<CustomRole>(item)!);
    },

    async putRole(tenantId, role) {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...key(tenantId, roleSk(role.name)), ...role } }));
    },

    getAppKey: (tenantId, keyId) => get<AppKeyRecord>(tenantId, keySk(keyId)),

    listAppKeys: (tenantId, page) => list<AppKeyRecord>(tenantId, KEY_PREFIX, page, true),

    async createAppKey(tenantId, appKey) {
      try {
        await db.send(
          new PutCommand({ TableName: tableName, Item: { ...key(tenantId, keySk(appKey.keyId)), ...appKey }, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw conflict(KEY_ID_TAKEN);
        throw error;
      }
    },

    async revokeAppKey(tenantId, keyId, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(tenantId, keySk(keyId)),
            UpdateExpression: 'SET revokedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':at': at },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
