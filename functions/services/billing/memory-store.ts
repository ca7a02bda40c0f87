// In-memory Billing store for mock mode and unit tests. Each method checks its conditions and writes
// without awaiting in between, so it is atomic on Node's single thread just as a transaction is.
import { conflict } from '#connectors/wire';
import { checkoutSk, decodeCursor, encodeCursor, INVOICE_PREFIX, invoiceSk, scopeRefOf, subscriptionSk, USAGE_PREFIX, usageSk } from './keys.ts';
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
  // tenantId -> sort key -> item (the same sort keys the DynamoDB store uses)
  const tenants = new Map<string, Map<string, Item>>();

  const partition = (tenantId: string) => {
    let items = tenants.get(tenantId);
    if (!items) tenants.set(tenantId, (items = new Map()));
    return items;
  };
  const read = <T extends Item>(tenantId: string, sk: string) => {
    const item = partition(tenantId).get(sk);
    return item === undefined ? undefined : (structuredClone(item) as T);
  };
  const write = (tenantId: string, sk: string, item: Item) => partition(tenantId).set(sk, structuredClone(item));
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
    async listInvoices(tenantId, { limit, cursor }) {
      const after = decodeCursor(cursor, INVOICE_PREFIX);
      const keys = [...partition(tenantId).keys()].filter((sk) => sk.startsWith(INVOICE_PREFIX)).sort().reverse();
      const start = after === undefined ? 0 : keys.findIndex((sk) => sk < after);
      const slice = start < 0 ? [] : keys.slice(start, start + limit);
      const last = slice.at(-1);
      const more = start >= 0 && start + limit < keys.length;
      return { items: slice.map((sk) => read<InvoiceRecord>(tenantId, sk)!), ...(more && last && { nextCursor: encodeCursor(last) }) };
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
