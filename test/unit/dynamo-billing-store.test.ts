import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoBillingStore } from '#functions/services/billing/dynamo-store';
import type { CheckoutCompletion, CheckoutSession, SubscriptionRecord } from '#functions/services/billing/store';

const ddb = mockClient(DynamoDBDocumentClient);
const store = createDynamoBillingStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'billing-table');
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const at = '2031-05-15T12:00:00.000Z';
const session: CheckoutSession = {
  sessionId: 'cs_1',
  scope: 'app',
  appId: 'app_1',
  plan: 'starter',
  amountCents: 1_900,
  currency: 'usd',
  status: 'completed',
  createdAt: at,
  expiresAt: '2031-05-16T12:00:00.000Z',
  successUrl: 'https://a.example.com/ok',
  cancelUrl: 'https://a.example.com/no',
  createdBy: 'u1',
  invoiceId: 'inv_1',
  completedAt: at,
};
const subscription: SubscriptionRecord = {
  scope: 'app',
  appId: 'app_1',
  plan: 'starter',
  status: 'active',
  currentPeriodStart: at,
  currentPeriodEnd: '2031-06-15T12:00:00.000Z',
  cancelAtPeriodEnd: false,
  version: 4,
  updatedAt: at,
};
const completion = (expectedVersion: number | undefined): CheckoutCompletion => ({
  session,
  subscription,
  expectedVersion,
  invoice: { id: 'inv_1', amountCents: 1_900, currency: 'usd', status: 'paid', plan: 'starter', createdAt: at, sessionId: 'cs_1', scope: 'app', appId: 'app_1' },
  at,
});

describe('DynamoDB Billing store', () => {
  beforeEach(() => ddb.reset());

  it('keys every item of a tenant under its own partition and strips keys on read', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'T#acme', sk: 'SUB#app#app_1', ...subscription } });
    expect(await store.getSubscription('acme', { scope: 'app', appId: 'app_1' })).toEqual(subscription);
    await store.getSubscription('acme', { scope: 'platform' });
    await store.getCheckout('acme', 'cs_1');
    await store.getInvoice('acme', 'inv_1');
    expect(ddb.commandCalls(GetCommand).map((call) => [call.args[0].input.Key, call.args[0].input.ConsistentRead])).toEqual([
      [{ pk: 'T#acme', sk: 'SUB#app#app_1' }, true],
      [{ pk: 'T#acme', sk: 'SUB#platform' }, true],
      [{ pk: 'T#acme', sk: 'CHECKOUT#cs_1' }, true],
      [{ pk: 'T#acme', sk: 'INV#inv_1' }, true],
    ]);
  });

  it('counts usage with an atomic ADD on the month and metric, and returns the new total', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { used: 42, month: '2031-05', metric: 'api_calls' } });
    expect(await store.addUsage('acme', '2031-05', 'api_calls', 2)).toBe(42);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'T#acme', sk: 'USAGE#2031-05#api_calls' },
      UpdateExpression: 'SET #month = :month, #metric = :metric ADD #used :amount',
      ExpressionAttributeValues: { ':amount': 2 },
      ReturnValues: 'UPDATED_NEW',
    });
  });

  it('completes a checkout in one transaction: open and unexpired session, subscription at its version, new invoice', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.completeCheckout('acme', completion(3))).toBe(true);
    const [sessionPut, subscriptionPut, invoicePut] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!.map((item) => item.Put!);
    expect(sessionPut).toMatchObject({
      Item: { pk: 'T#acme', sk: 'CHECKOUT#cs_1', status: 'completed', invoiceId: 'inv_1' },
      ConditionExpression: '#status = :open AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'open', ':now': at },
    });
    expect(subscriptionPut).toMatchObject({
      Item: { pk: 'T#acme', sk: 'SUB#app#app_1', plan: 'starter', status: 'active', version: 4 },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
    expect(invoicePut).toMatchObject({ Item: { pk: 'T#acme', sk: 'INV#inv_1', status: 'paid' }, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('writes the first subscription of a scope only if there still is none', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.completeCheckout('acme', completion(undefined));
    const subscriptionPut = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Put!;
    expect(subscriptionPut.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(subscriptionPut.ExpressionAttributeValues).toBeUndefined();
  });

  it('reports a lost race (failed condition or concurrent transaction) as false, anything else as an error', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None'))
      .rejectsOnce(cancelled('ThrottlingError', 'None', 'None'));
    expect(await store.completeCheckout('acme', completion(3))).toBe(false);
    expect(await store.completeCheckout('acme', completion(3))).toBe(false);
    await expect(store.completeCheckout('acme', completion(3))).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  it('updates a subscription only at the version it was read at', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    await expect(store.updateSubscription('acme', { scope: 'platform' }, { ...subscription, version: 5 }, 4)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'T#acme', sk: 'SUB#platform', version: 5 },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
    });
  });

  it('creates a session only under a new id', async () => {
    ddb.on(PutCommand).resolves({});
    await store.createCheckout('acme', { ...session, status: 'open' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'T#acme', sk: 'CHECKOUT#cs_1', status: 'open' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('lists invoices newest first with cursors that carry only the sort key', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'T#acme', sk: 'INV#inv_2', id: 'inv_2' }], LastEvaluatedKey: { pk: 'T#acme', sk: 'INV#inv_2' } });
    const page = await store.listInvoices('acme', { limit: 1 });
    expect(page.items).toEqual([{ id: 'inv_2' }]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'T#acme', ':prefix': 'INV#' },
      ScanIndexForward: false,
      Limit: 1,
    });
    await store.listInvoices('other', { limit: 1, cursor: page.nextCursor });
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ pk: 'T#other', sk: 'INV#inv_2' });
    const foreign = Buffer.from('USAGE#2031-05#api_calls').toString('base64url');
    await expect(store.listInvoices('acme', { limit: 1, cursor: foreign })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('reads every page of usage counters for all-time totals', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ pk: 'T#acme', sk: 'USAGE#2031-04#api_calls', month: '2031-04', metric: 'api_calls', used: 5 }], LastEvaluatedKey: { pk: 'T#acme', sk: 'USAGE#2031-04#api_calls' } })
      .resolvesOnce({ Items: [{ pk: 'T#acme', sk: 'USAGE#2031-05#api_calls', month: '2031-05', metric: 'api_calls', used: 7 }] });
    expect(await store.listUsage('acme')).toEqual([
      { month: '2031-04', metric: 'api_calls', used: 5 },
      { month: '2031-05', metric: 'api_calls', used: 7 },
    ]);
    const calls = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls[0]!.ExpressionAttributeValues).toEqual({ ':pk': 'T#acme', ':prefix': 'USAGE#' });
    expect(calls[1]!.ExclusiveStartKey).toEqual({ pk: 'T#acme', sk: 'USAGE#2031-04#api_calls' });
  });
});
