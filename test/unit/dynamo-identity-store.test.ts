import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoIdentityStore } from '#functions/services/identity/dynamo-store';
import type { UserRecord } from '#functions/services/identity/store';

const ddb = mockClient(DynamoDBDocumentClient);
const store = createDynamoIdentityStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'identity-table');
const user: UserRecord = {
  userId: 'u1',
  username: 'Ada',
  email: 'Ada@Example.com',
  displayName: 'Ada',
  roles: ['member'],
  status: 'active',
  createdAt: 't',
  lastLoginAt: 't',
  version: 1,
};
const owner: UserRecord = { ...user, roles: ['owner'] };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
const transactItems = () => ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;

describe('DynamoDB Identity store', () => {
  beforeEach(() => ddb.reset());

  it('keys users under the tenant partition and strips keys and search attributes on read', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'T#acme', sk: 'USER#u1', ...user, searchUsername: 'ada', searchEmail: 'ada@example.com' } });
    expect(await store.getUser('acme', 'u1')).toEqual(user);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: { pk: 'T#acme', sk: 'USER#u1' }, ConsistentRead: true });
  });

  it('reads the active-owner count from the OWNERS item, zero when there is none', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { pk: 'T#acme', sk: 'OWNERS', count: 2 } }).resolvesOnce({});
    expect(await store.activeOwnerCount('acme')).toBe(2);
    expect(await store.activeOwnerCount('acme')).toBe(0);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#acme', sk: 'OWNERS' });
  });

  it('creates a member with one conditional put and lower-cased search attributes', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.createUser('acme', user, { firstOwner: false })).toBe(true);
    const items = transactItems();
    expect(items).toHaveLength(1);
    expect(items[0]!.Put).toMatchObject({
      Item: { pk: 'T#acme', sk: 'USER#u1', userId: 'u1', version: 1, searchUsername: 'ada', searchEmail: 'ada@example.com' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('creates a first owner together with the owner count, only while the tenant has none', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.createUser('acme', owner, { firstOwner: true });
    const count = transactItems()[1]!.Update!;
    expect(count).toMatchObject({
      Key: { pk: 'T#acme', sk: 'OWNERS' },
      UpdateExpression: 'ADD #count :delta',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :one',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': 1, ':one': 1 },
    });
  });

  it('counts an owner from the token without requiring the tenant to have none', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.createUser('acme', owner, { firstOwner: false });
    expect(transactItems()[1]!.Update).not.toHaveProperty('ConditionExpression');
  });

  it('reports a lost first sight (user exists, owner taken, or transaction conflict) as false, to decide again', async () => {
    ddb.on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'));
    for (let i = 0; i < 3; i++) expect(await store.createUser('acme', owner, { firstOwner: true })).toBe(false);
  });

  it('changes roles in one transaction: the user at its version, the owner count, a check per custom role', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.updateUser('acme', { ...owner, version: 4, roles: ['member', 'auditor', 'viewer'] }, { expectedVersion: 3, ownerDelta: -1, customRoles: ['auditor', 'viewer'] });
    const [put, count, ...checks] = transactItems();
    expect(put!.Put).toMatchObject({
      Item: { pk: 'T#acme', sk: 'USER#u1', version: 4 },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
    expect(count!.Update).toMatchObject({
      Key: { pk: 'T#acme', sk: 'OWNERS' },
      ConditionExpression: '#count > :one',
      ExpressionAttributeValues: { ':delta': -1, ':one': 1 },
    });
    expect(checks.map((c) => [c.ConditionCheck!.Key, c.ConditionCheck!.ConditionExpression])).toEqual([
      [{ pk: 'T#acme', sk: 'ROLE#auditor' }, 'attribute_exists(pk)'],
      [{ pk: 'T#acme', sk: 'ROLE#viewer' }, 'attribute_exists(pk)'],
    ]);
  });

  it('writes only the user when neither owners nor custom roles change', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.updateUser('acme', { ...user, version: 2 }, { expectedVersion: 1, ownerDelta: 0, customRoles: [] });
    expect(transactItems()).toHaveLength(1);
  });

  it('maps each failed condition to its reason', async () => {
    const change = { expectedVersion: 1, ownerDelta: -1 as const, customRoles: ['auditor', 'viewer'] };
    ddb.on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'None', 'None', 'ConditionalCheckFailed'))
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None', 'None'));
    await expect(store.updateUser('acme', user, change)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/changed/) });
    await expect(store.updateUser('acme', user, change)).rejects.toMatchObject({ code: 'CONFLICT', message: 'A tenant keeps at least one owner' });
    await expect(store.updateUser('acme', user, change)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('viewer') });
    await expect(store.updateUser('acme', user, change)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/changed/) });
  });

  it('rethrows a failure that is not a lost condition', async () => {
    const outage = new Error('throttled');
    ddb.on(TransactWriteCommand).rejects(outage);
    await expect(store.updateUser('acme', user, { expectedVersion: 1, ownerDelta: 0, customRoles: [] })).rejects.toBe(outage);
    await expect(store.createUser('acme', user, { firstOwner: false })).rejects.toBe(outage);
  });

  it('records a login outside the version and ignores a user that is gone', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await store.recordLogin('acme', 'u1', 'now');
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'T#acme', sk: 'USER#u1' },
      UpdateExpression: 'SET lastLoginAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('filters users by lower-case prefix and role, and keeps reading until the page is full', async () => {
    ddb.on(QueryCommand)
      .resolvesOnce({ Items: [{ pk: 'T#acme', sk: 'USER#u1', ...user }], LastEvaluatedKey: { pk: 'T#acme', sk: 'USER#u5' } })
      .resolvesOnce({ Items: [{ pk: 'T#acme', sk: 'USER#u7', ...user, userId: 'u7' }, { pk: 'T#acme', sk: 'USER#u9', ...user, userId: 'u9' }] })
      .resolves({ Items: [] });
    const page = await store.listUsers('acme', { limit: 2 }, { search: 'ad', role: 'member' });
    expect(page.items.map((u) => u.userId)).toEqual(['u1', 'u7']);
    const [first, second] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(first).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '(begins_with(#username, :search) OR begins_with(#email, :search)) AND contains(#roles, :role)',
      ExpressionAttributeNames: { '#username': 'searchUsername', '#email': 'searchEmail', '#roles': 'roles' },
      ExpressionAttributeValues: { ':pk': 'T#acme', ':prefix': 'USER#', ':search': 'ad', ':role': 'member' },
      ScanIndexForward: true,
    });
    expect(second!.ExclusiveStartKey).toEqual({ pk: 'T#acme', sk: 'USER#u5' });
    // The cursor is the last shown sort key, not where the read stopped.
    await store.listUsers('other', { limit: 2, cursor: page.nextCursor }, {});
    expect(ddb.commandCalls(QueryCommand)[2]!.args[0].input.ExclusiveStartKey).toEqual({ pk: 'T#other', sk: 'USER#u7' });
  });

  it('pages app keys newest first with cursors that carry only the sort key, and refuses a cursor of another list', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'T#acme', sk: 'KEY#k2', keyId: 'k2' }, { pk: 'T#acme', sk: 'KEY#k1', keyId: 'k1' }] });
    const page = await store.listAppKeys('acme', { limit: 1 });
    expect(page.items).toEqual([{ keyId: 'k2' }]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ ScanIndexForward: false, Limit: 2 });
    await expect(store.listUsers('acme', { limit: 1, cursor: page.nextCursor }, {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('counts users with COUNT queries over every page', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Count: 3, LastEvaluatedKey: { pk: 'T#acme', sk: 'USER#c' } }).resolvesOnce({ Count: 2 });
    expect(await store.countUsers('acme')).toBe(5);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ Select: 'COUNT', ExpressionAttributeValues: { ':prefix': 'USER#' } });
  });

  it('stores custom roles under ROLE# and lists them all', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'T#acme', sk: 'ROLE#auditor', name: 'auditor', permissions: ['read:billing'] }] });
    await store.putRole('acme', { name: 'auditor', permissions: ['read:billing'] });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toEqual({ pk: 'T#acme', sk: 'ROLE#auditor', name: 'auditor', permissions: ['read:billing'] });
    expect(await store.listRoles('acme')).toEqual([{ name: 'auditor', permissions: ['read:billing'] }]);
  });

  it('creates a key only once, storing its hash, and revokes it only if not revoked yet', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    const key = { keyId: 'k1', name: 'ci', prefix: 'mzk.acme.k1.abcd', createdAt: 't', createdBy: 'u1', hash: 'ab'.repeat(32) };
    await expect(store.createAppKey('acme', key)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'T#acme', sk: 'KEY#k1', hash: key.hash },
      ConditionExpression: 'attribute_not_exists(pk)',
    });

    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await store.revokeAppKey('acme', 'k1', 'now')).toBe(true);
    expect(await store.revokeAppKey('acme', 'k1', 'later')).toBe(false);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'T#acme', sk: 'KEY#k1' },
      UpdateExpression: 'SET revokedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
    });
  });
});
