// Billing store on DynamoDB. Completing a checkout is one transaction (session, subscription,
// invoice) so a plan is never active without its invoice nor paid twice; usage counters are atomic ADDs.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { conflict } from '#connectors/wire';
import {
  checkoutSk,
  decodeCursor,
  encodeCursor,
  INVOICE_PREFIX,
  invoiceSk,
  scopeRefOf,
  subscriptionSk,
  tenantPk,
  USAGE_PREFIX,
  usageSk,
} from './keys.ts';
import {
  CHANGED_CONCURRENTLY,
  type BillingStore,
  type CheckoutSession,
  type InvoiceRecord,
  type SubscriptionRecord,
  type UsageRecord,
} from './store.ts';

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};
const stored = <T extends object>(tenantId: string, sk: string, item: T) => ({ pk: tenantPk(tenantId), sk, ...item });

/** The put condition for a subscription computed from `expectedVersion` (undefined: there was none). */
const versionCondition = (expectedVersion: number | undefined) =>
  expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };

/** A transaction lost to a failed condition or to a concurrent transaction on the same items. */
const lostRace = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict');

export function createDynamoBillingStore(db: DynamoDBDocumentClient, tableName: string): BillingStore {
  const get = async <T>(tenantId: string, sk: string) =>
    strip<T>((await db.send(new GetCommand({ TableName: tableName, Key: { pk: tenantPk(tenantId), sk }, ConsistentRead: true }))).Item);

  return {
    getSubscription: (tenantId, ref) => get<SubscriptionRecord>(tenantId, subscriptionSk(ref)),

    async updateSubscription(tenantId, ref, subscription, expectedVersion) {
      try {
        await db.send(new PutCommand({ TableName: tableName, Item: stored(tenantId, subscriptionSk(ref), subscription), ...versionCondition(expectedVersion) }));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw conflict(CHANGED_CONCURRENTLY);
        throw error;
      }
    },

    getCheckout: (tenantId, sessionId) => get<CheckoutSession>(tenantId, checkoutSk(sessionId)),

    async createCheckout(tenantId, session) {
      try {
        await db.send(
          new PutCommand({ TableName: tableName, Item: stored(tenantId, checkoutSk(session.sessionId), session), ConditionExpression: 'attribute_not_exists(pk)' }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw conflict('This checkout session already exists');
        throw error;
      }
    },

    async completeCheckout(tenantId, { session, subscription, expectedVersion, invoice, at }) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: stored(tenantId, checkoutSk(session.sessionId), session),
                  ConditionExpression: '#status = :open AND expiresAt > :now',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':open': 'open', ':now': at },
                },
              },
              { Put: { TableName: tableName, Item: stored(tenantId, subscriptionSk(scopeRefOf(session)), subscription), ...versionCondition(expectedVersion) } },
              { Put: { TableName: tableName, Item: stored(tenantId, invoiceSk(invoice.id), invoice), ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (lostRace(error)) return false;
        throw error;
      }
    },

    getInvoice: (tenantId, invoiceId) => get<InvoiceRecord>(tenantId, invoiceSk(invoiceId)),

    async listInvoices(tenantId, { limit, cursor }) {
      const after = decodeCursor(cursor, INVOICE_PREFIX);
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': INVOICE_PREFIX },
          ScanIndexForward: false,
          Limit: limit,
          ...(after && { ExclusiveStartKey: { pk: tenantPk(tenantId), sk: after } }),
        }),
      );
      const last = result.LastEvaluatedKey?.sk as string | undefined;
      return { items: (result.Items ?? []).map((item) => strip<InvoiceRecord>(item)!), ...(last && { nextCursor: encodeCursor(last) }) };
    },

    async addUsage(tenantId, month, metric, amount) {
      // ADD is applied by DynamoDB itself: concurrent records never overwrite each other's counts.
      const result = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: tenantPk(tenantId), sk: usageSk(month, metric) },
          UpdateExpression: 'SET #month = :month, #metric = :metric ADD #used :amount',
          ExpressionAttributeNames: { '#month': 'month', '#metric': 'metric', '#used': 'used' },
          ExpressionAttributeValues: { ':month': month, ':metric': metric, ':amount': amount },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.used ?? 0);
    },

    async getUsage(tenantId, month, metric) {
      return (await get<UsageRecord>(tenantId, usageSk(month, metric)))?.used ?? 0;
    },

    async listUsage(tenantId) {
      const records: UsageRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': USAGE_PREFIX },
            ConsistentRead: true,
            ...(startKey && { ExclusiveStartKey: startKey }),
          }),
        );
        for (const item of result.Items ?? []) records.push(strip<UsageRecord>(item)!);
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return records;
    },
  };
}
