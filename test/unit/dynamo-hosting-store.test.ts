import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoHostingStore } from '#functions/services/hosting/dynamo-store';
import type { AppRecord } from '#functions/services/hosting/store';

const ddb = mockClient(DynamoDBDocumentClient);
const store = createDynamoHostingStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'hosting-table');
const app: AppRecord = { appId: 'app_1', name: 'A', slug: 'shop', description: '', status: 'draft', createdAt: 't', updatedAt: 't', version: 1 };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoDB Hosting store', () => {
  beforeEach(() => ddb.reset());

  it('keys every item of a tenant under its own partition and strips keys on read', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'T#acme', sk: 'APP#app_1', ...app } });
    expect(await store.getApp('acme', 'app_1')).toEqual(app);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: { pk: 'T#acme', sk: 'APP#app_1' }, ConsistentRead: true });
  });

  it('creates the app, its slug claim and its count under the plan limit in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.createApp('acme', app, 3);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.slice(0, 2).map((i) => [i.Put!.Item!.pk, i.Put!.Item!.sk, i.Put!.ConditionExpression])).toEqual([
      ['T#acme', 'SLUG#shop', 'attribute_not_exists(pk)'],
      ['T#acme', 'APP#app_1', 'attribute_not_exists(pk)'],
    ]);
    expect(items[2]!.Update).toMatchObject({
      Key: { pk: 'T#acme', sk: 'COUNT#apps' },
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
      ExpressionAttributeValues: { ':delta': 1, ':max': 3 },
    });
  });

  it('answers FEATURE_NOT_IN_PLAN with the limit when the count condition fails', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
    await expect(store.createApp('acme', app, 1)).rejects.toMatchObject({ code: 'FEATURE_NOT_IN_PLAN', details: { limit: 1, metric: 'apps' } });
  });

  it('answers CONFLICT naming the slug when the claim exists', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(store.createApp('acme', app)).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'slug' } });
  });

  it('updates an app only at the expected version', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    await expect(store.updateApp('acme', { ...app, version: 3 }, 2)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 2 },
    });
  });

  it('adds a domain only while no app has verified the name and the app is still there', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
    const domain = {
      domain: 'shop.example.com',
      appId: 'app_1',
      status: 'pending_verification' as const,
      verificationRecord: { type: 'TXT' as const, name: '_mozaiks-challenge.shop.example.com', value: 'v' },
      tls: { status: 'pending' as const },
      createdAt: 't',
    };
    await expect(store.addDomain('acme', domain)).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'domain' } });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.ConditionCheck).toMatchObject({ Key: { pk: 'DOMAIN#shop.example.com', sk: 'CLAIM' }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[2]!.ConditionCheck!.Key).toEqual({ pk: 'T#acme', sk: 'APP#app_1' });
  });

  it('pages with cursors that carry only the sort key, and refuses a cursor of another list', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'T#acme', sk: 'APP#app_2', ...app, appId: 'app_2' }], LastEvaluatedKey: { pk: 'T#acme', sk: 'APP#app_2' } });
    const page = await store.listApps('acme', { limit: 1 });
    expect(page.items[0]!.appId).toBe('app_2');
    await store.listApps('other', { limit: 1, cursor: page.nextCursor });
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ pk: 'T#other', sk: 'APP#app_2' });
    await expect(store.listDomains('acme', 'app_1', { limit: 1, cursor: page.nextCursor })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
