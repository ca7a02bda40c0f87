// In-memory Billing store for mock mode and unit tests. Each method checks its conditions and writes
// without awaiting in between, so it is atomic on Node's single thread just as a transaction is.
import { conflict } from '#connectors/wire';
import { createMemoryTable } from '#functions/shared/memory-table';
import { checkoutSk, INVOICE_PREFIX, invoiceSk, scopeRefOf, subscriptionSk, USAGE_PREFIX, usageSk } from './keys.ts';
import {
  CHANGED_CONCURRENTLY,
  type BillingStore,
  type CheckoutSession,
  type InvoiceRecord,
  type SubscriptionRecord,
  type UsageRecord,
} from './store.ts';

type Item = SubscriptionRecord | CheckoutSession | InvoiceRecord | UsageRecord;

export function createMemoryBillingStore(): BillingStore {
  const { partition, read, write, list } = createMemoryTable<Item>();
  const versionOf = (tenantId: string, sk: string) => (partition(tenantId).get(sk) as SubscriptionRecord | undefined)?.version;

  return {
    async getSubscription(tenantId, ref) {
      return read<SubscriptionRecord>(tenantId, subscriptionSk(ref));
    },
    async updateSubscription(tenantId, ref, subscription, expectedVersion) {
      const sk = subscriptionSk(ref);
      if (versionOf(tenantId, sk) !== expectedVersion) throw conflict(CHANGED_CONCURRENTLY);
      write(tenantId, sk, subscription);
    },

    async getCheckout(tenantId, sessionId) {
      return read<CheckoutSession>(tenantId, checkoutSk(sessionId));
    },
    async createCheckout(tenantId, session) {
      if (partition(tenantId).has(checkoutSk(session.sessionId))) throw conflict('This checkout session already exists');
      write(tenantId, checkoutSk(session.sessionId), session);
    },
    async completeCheckout(tenantId, { session, subscription, expectedVersion, invoice, at }) {
      const current = partition(tenantId).get(checkoutSk(session.sessionId)) as CheckoutSession | undefined;
      const subSk = subscriptionSk(scopeRefOf(session));
      if (
        current?.status !== 'open' ||
        current.expiresAt <= at ||
        versionOf(tenantId, subSk) !== expectedVersion ||
        partition(tenantId).has(invoiceSk(invoice.id))
      ) {
        return false;
      }
      write(tenantId, checkoutSk(session.sessionId), session);
      write(tenantId, subSk, subscription);
      write(tenantId, invoiceSk(invoice.id), invoice);
      return true;
    },

    async getInvoice(tenantId, invoiceId) {
      return read<InvoiceRecord>(tenantId, invoiceSk(invoiceId));
    },
    async listInvoices(tenantId, page) {
      return list<InvoiceRecord>(tenantId, INVOICE_PREFIX, page, { newestFirst: true });
    },

    async addUsage(tenantId, month, metric, amount) {
      const sk = usageSk(month, metric);
      const used = ((partition(tenantId).get(sk) as UsageRecord | undefined)?.used ?? 0) + amount;
      write(tenantId, sk, { month, metric, used });
      return used;
    },
    async getUsage(tenantId, month, metric) {
      return read<UsageRecord>(tenantId, usageSk(month, metric))?.used ?? 0;
    },
    async listUsage(tenantId) {
      return [...partition(tenantId).entries()].filter(([sk]) => sk.startsWith(USAGE_PREFIX)).map(([, item]) => structuredClone(item as UsageRecord));
    },
  };
}
