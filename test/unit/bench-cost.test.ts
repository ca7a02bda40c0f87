// Goal 6's arithmetic (bin/bench-cost.ts): the capacity units counted per DynamoDB request, the log
// bytes of an action, and the dollars per million from them.
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { accessLogLineBytes, costPerMillion, emfLineBytes, watchDynamoDb } from '../../bin/bench-cost.ts';

/** A client that answers every request with `{}` without a network. */
const offlineClient = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestHandler: { handle: async () => ({ response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) } }) },
    }),
  );

describe('bench cost', () => {
  it('counts capacity units per request: consistent and eventual reads, writes, 2 per transaction item', async () => {
    const db = offlineClient();
    const watch = watchDynamoDb();
    await db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' }, ConsistentRead: true }));
    await db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }));
    await db.send(new UpdateCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } }));
    const put = (sk: string) => ({ Put: { TableName: 't', Item: { pk: 'a', sk } } });
    await db.send(new TransactWriteCommand({ TransactItems: [put('1'), put('2'), put('3')] }));
    await db.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' } }));
    const units = watch.stop();
    expect(units).toMatchObject({ readUnits: 1.5, writeUnits: 7, uncounted: 1, calls: { Get: 2, Update: 1, TransactWrite: 1, Query: 1 } });
    await db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }));
    expect(units.calls.Get).toBe(2); // stopped: nothing counted any more
  });

  it('prices a million actions from the measured figures', () => {
    const read = costPerMillion({ name: 'read', readUnits: 1, writeUnits: 0, executeMs: 2.4, serviceMs: 1.3 }, { standard: 374, infrequentAccess: 174 });
    // 512 MB x (ceil(2.4 + 10) + ceil(1.3)) ms = 0.5 GB x 15 ms; logs (374 + 26) B standard and (174 + 26) B IA.
    const expected = 1 + 0.4 + 0.5 * 0.015 * 1e6 * 0.0000133334 + 0.125 + (400 * 0.5 + 200 * 0.25) / 1e3 + 0.25;
    expect(read.total).toBeCloseTo(expected, 6);
    expect(costPerMillion({ name: 'read', readUnits: 1, writeUnits: 0, executeMs: 2.4, serviceMs: 1.3 }, { standard: 374, infrequentAccess: 174 }, false).total).toBeCloseTo(expected - 0.25, 6);
  });

  it('counts the bytes of the real EMF line and of an access log line in the stack\'s format', () => {
    expect(emfLineBytes()).toBeGreaterThan(300);
    expect(emfLineBytes()).toBeLessThan(450);
    expect(accessLogLineBytes()).toBeGreaterThan(150);
    expect(accessLogLineBytes()).toBeLessThan(260);
  });
});
