// The DynamoDB table's requests, checked once for every store: which command a write becomes, the
// expressions a condition compiles to, and how cancelled transactions are reported.
import { ConditionalCheckFailedException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#functions/shared/ddb';
import { Expressions, createDynamoTable } from '#functions/shared/dynamo-table';
import { check, put, update, when } from '#functions/shared/table';

const ddb = mockClient(DynamoDBDocumentClient);
const table = createDynamoTable(createDocumentClient(), 'tbl');
const key = { pk: 'T#acme', sk: 'APP#1' };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoDB table', () => {
  beforeEach(() => ddb.reset());

  it('compiles conditions with placeholders, parenthesising only nested compounds', () => {
    const e = new Expressions();
    const text = e.condition(when.and(when.exists(), when.ne('status', 'archived'), when.or(when.missing('count'), when.below('count', 3))));
    expect(text).toBe('attribute_exists(pk) AND (attribute_exists(#n0) AND #n0 <> :v0) AND (attribute_not_exists(#n1) OR #n1 < :v1)');
    expect(e.attributes()).toEqual({ ExpressionAttributeNames: { '#n0': 'status', '#n1': 'count' }, ExpressionAttributeValues: { ':v0': 'archived', ':v1': 3 } });
    expect(new Expressions().condition(when.or(when.beginsWith('a', 'x'), when.contains('roles', 'y')))).toBe('begins_with(#n0, :v0) OR contains(#n1, :v1)');
  });

  it('sends a lone put as a conditional PutCommand with the keys in the item', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await table.write([put(key, { version: 2 }, when.eq('version', 1))])).toEqual({ ok: true });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Item: { version: 2, pk: 'T#acme', sk: 'APP#1' },
      ConditionExpression: '#n0 = :v0',
      ExpressionAttributeNames: { '#n0': 'version' },
      ExpressionAttributeValues: { ':v0': 1 },
    });
  });

  it('sends a lone update with SET, ADD and REMOVE, and answers the item after it', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...key, used: 7 } });
    expect(await table.write([update(key, { set: { month: '2026-11', note: undefined }, add: { used: 2 } })])).toEqual({ ok: true, item: { used: 7 } });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      UpdateExpression: 'SET #n0 = :v0 ADD #n1 :v1 REMOVE #n2',
      ExpressionAttributeNames: { '#n0': 'month', '#n1': 'used', '#n2': 'note' },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('reports a failed lone condition as failed, and a lone write blocked by a transaction as raced', async () => {
    ddb.on(PutCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {} })).rejectsOnce(new TransactionConflictException({ message: 'busy', $metadata: {} }));
    expect(await table.write([put(key, {}, when.notExists())])).toEqual({ ok: false, failed: [true], raced: false });
    expect(await table.write([put(key, {}, when.notExists())])).toEqual({ ok: false, failed: [false], raced: true });
  });

  it('sends several writes as one transaction and reports which failed and whether it raced', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).rejectsOnce(cancelled('TransactionConflict', 'None'));
    const writes = [put(key, { a: 1 }), check({ pk: 'DOMAIN#x', sk: 'CLAIM' }, when.notExists())];
    expect(await table.write(writes)).toEqual({ ok: false, failed: [false, true], raced: false });
    expect(await table.write(writes)).toEqual({ ok: false, failed: [false, false], raced: true });
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]).toEqual({
      ConditionCheck: { TableName: 'tbl', Key: { pk: 'DOMAIN#x', sk: 'CLAIM' }, ConditionExpression: 'attribute_not_exists(pk)' },
    });
  });

  it('rethrows a cancellation that is neither a condition nor a race', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ValidationError', 'None'));
    await expect(table.write([put(key, {}), put({ ...key, sk: 'B' }, {})])).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  it('queries one past the page, consistently, and starts after the cursor’s sort key in the caller’s partition', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'T#acme', sk: 'APP#3', n: 3 }, { pk: 'T#acme', sk: 'APP#2', n: 2 }] });
    const page = await table.query('T#acme', 'APP#', { limit: 1 }, { newestFirst: true });
    expect(page.items).toEqual([{ n: 3 }]);
    await table.query('T#other', 'APP#', { limit: 1, cursor: page.nextCursor });
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({ KeyConditionExpression: 'pk = :v0 AND begins_with(sk, :v1)', Limit: 2, ScanIndexForward: false, ConsistentRead: true });
    expect(second!.ExclusiveStartKey).toEqual({ pk: 'T#other', sk: 'APP#3' });
  });
});
