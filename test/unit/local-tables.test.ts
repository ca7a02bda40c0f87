// createTables at `npm start` and in the test setup must ride out DynamoDB Local's transient failures
// (a 500 while it builds an index, throttling, a reset connection) and name the table when it gives up.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createTables, isTransient } from '#local/tables';

const ddb = mockClient(DynamoDBClient);
afterEach(() => ddb.reset());

const internalFailure = () =>
  new DynamoDBServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'The request processing has failed' });
const throttled = () =>
  new DynamoDBServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'slow down' });
const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const missing = () => new ResourceNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'no such table' });

const shape = { orders: { indexes: [{ name: 'byCustomer', partitionKey: 'customer', sortKey: 'sk' }] } };
const active = (withIndex: boolean) => ({
  Table: {
    TableName: 'shop-orders',
    TableStatus: 'ACTIVE' as const,
    ...(withIndex ? { GlobalSecondaryIndexes: [{ IndexName: 'byCustomer', IndexStatus: 'ACTIVE' as const }] } : {}),
  },
});
const client = () => new DynamoDBClient({ region: 'local', maxAttempts: 1 });

describe('createTables', () => {
  it('classifies 5xx, throttling and connection resets as transient, and validation errors as not', () => {
    expect(isTransient(internalFailure())).toBe(true);
    expect(isTransient(throttled())).toBe(true);
    expect(isTransient(connectionReset())).toBe(true);
    expect(isTransient(missing())).toBe(false);
    expect(isTransient(new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });

  it('keeps polling through transient failures of every call until the table is ready', async () => {
    ddb
      .on(DescribeTableCommand)
      .rejectsOnce(connectionReset())
      .rejectsOnce(missing())
      .rejectsOnce(internalFailure())
      .rejectsOnce(throttled())
      .resolves(active(true));
    ddb.on(CreateTableCommand).rejectsOnce(internalFailure()).resolves({});

    await expect(createTables(client(), 'shop', shape)).resolves.toEqual({ orders: 'shop-orders' });
    expect(ddb.commandCalls(CreateTableCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('adds a missing index once, even when the first answer to UpdateTable was lost', async () => {
    let indexAdded = false;
    ddb.on(DescribeTableCommand).callsFake(() => active(indexAdded));
    ddb.on(UpdateTableCommand).callsFakeOnce(() => {
      indexAdded = true; // the server applied it, and then the answer was lost
      throw internalFailure();
    });

    await createTables(client(), 'shop', shape);
    expect(ddb.commandCalls(UpdateTableCommand)).toHaveLength(1);
  });

  it('gives up at the deadline naming the table and the last error', async () => {
    ddb.on(DescribeTableCommand).rejects(internalFailure());
    const started = Date.now();
    await expect(createTables(client(), 'shop', shape, 500)).rejects.toThrow(
      /table shop-orders not ready before its deadline; last error: InternalFailure: The request processing has failed/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails at once on an error that another try would not fix', async () => {
    ddb.on(DescribeTableCommand).rejects(missing());
    ddb.on(CreateTableCommand).rejects(
      new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'bad key schema' }),
    );
    await expect(createTables(client(), 'shop', shape)).rejects.toThrow(/bad key schema/);
    expect(ddb.commandCalls(CreateTableCommand)).toHaveLength(1);
  });
});
