// Billing store on DynamoDB. Completing a checkout is one transaction (session, subscription,
// invoice) so a plan is never active without its invoice nor paid twice; usage counters are atomic ADDs.
import { PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#connectors/wire';
import { createDynamoTable, key, lostRace, stored } from '#functions/shared/dynamo-table';
import { checkoutSk, INVOICE_PREFIX, invoiceSk, scopeRefOf, subscriptionSk, USAGE_PREFIX, usageSk } from './keys.ts';
import {
  CHANGED_CONCURRENTLY,
  type BillingStore,
  type CheckoutSession,
  type InvoiceRecord,
  type SubscriptionRecord,
  type UsageRecord,
} from './store.ts';

/** The put condition for a subscription computed from `expectedVersion` (undefined: there was none). */
const versionCondition = (expectedVersion: number | undefined) =>
  expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };

export function createDynamoBillingStore(db: DynamoDBDocumentClient, tableName: string): BillingStore {
  const { get, list, all, conditionalWrite } = createDynamoTable(db, tableName, { changedConcurrently: CHANGED_CONCURRENTLY });

  return {
    getSubscription: (tenantId, ref) => get<SubscriptionRecord>(tenantId, subscriptionSk(ref)),

    async updateSubscription(tenantId, ref, subscription, expectedVersion) {
      const put = new PutCommand({ TableName: tableName, Item: stored(tenantId, subscriptionSk(ref), subscription), ...versionCondition(expectedVersion) });
      if (!(await conditionalWrite(put))) throw conflict(CHANGED_CONCURRENTLY);
    },

    getCheckout: (tenantId, sessionId) => get<CheckoutSession>(tenantId, checkoutSk(sessionId)),

    async createCheckout(tenantId, session) {
      const put = new PutCommand({ TableName: tableName, Item: stored(tenantId, checkoutSk(session.sessionId), session), ConditionExpression: 'attribute_not_exists(pk)' });
      if (!(await conditionalWrite(put))) throw conflict('This checkout session already exists');
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

    listInvoices: (tenantId, page) => list<InvoiceRecord>(tenantId, INVOICE_PREFIX, page, { newestFirst: true }),

    async addUsage(tenantId, month, metric, amount) {
      // ADD is applied by DynamoDB itself: concurrent records never overwrite each other's counts.
      const result = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(tenantId, usageSk(month, metric)),
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

    listUsage: (tenantId) => all<UsageRecord>(tenantId, USAGE_PREFIX, { consistent: true }),
  };
}
