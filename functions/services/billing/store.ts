// Billing's store, over the table port. Operations decide; the store writes atomically under the
// conditions given (stored version, session status and expiry) and reports a lost race. Every method
// is tenant-first. Completing a checkout is one write (session, subscription, invoice), so a plan is
// never active without its invoice nor paid twice; usage counters are atomic additions.
import type { Invoice, Subscription } from '#connectors/contracts/billing';
import type { PlanTier } from '#connectors/contracts/plans';
import { conflict } from '#connectors/contracts/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
import { put, update, when, writeOrThrow, type Table } from '#functions/shared/table';
import { checkoutSk, INVOICE_PREFIX, invoiceSk, scopeRefOf, subscriptionSk, tenantKey, tenantPk, USAGE_PREFIX, usageSk, type ScopeRef } from './keys.ts';
export type { Page, PageRequest };

/** The stored subscription: the public shape without the computed effectivePlan, plus what changes need. */
export interface SubscriptionRecord extends Omit<Subscription, 'effectivePlan'> {
  /** Bumped on every write; a write is conditioned on the version it was computed from. */
  version: number;
  updatedAt: string;
  cancelReason?: string;
  canceledAt?: string;
  /** The payment provider's subscription behind this one (Stripe), cancelled there too. */
  providerSubscriptionId?: string;
}

export interface CheckoutSession {
  sessionId: string;
  scope: 'platform' | 'app';
  appId?: string;
  plan: PlanTier;
  amountCents: number;
  currency: string;
  status: 'open' | 'completed';
  createdAt: string;
  expiresAt: string;
  successUrl: string;
  cancelUrl: string;
  createdBy: string;
  /** The provider's own checkout session (Stripe's `cs_...`), when the provider hosts the checkout. */
  providerSessionId?: string;
  /** Set when completed: the invoice the completion wrote, which makes a repeated completion idempotent. */
  invoiceId?: string;
  completedAt?: string;
}

/** The stored invoice: the public shape plus where it came from. */
export interface InvoiceRecord extends Invoice {
  sessionId: string;
  scope: 'platform' | 'app';
  appId?: string;
}

export interface UsageRecord {
  /** `yyyy-mm`, UTC */
  month: string;
  metric: string;
  used: number;
}

/** What completing a checkout writes, all or nothing. */
export interface CheckoutCompletion {
  /** The session, now `completed` with its invoiceId; written only if it is still open and unexpired at `at`. */
  session: CheckoutSession;
  /** The new subscription of the session's scope; written only if the stored one is still at `expectedVersion`. */
  subscription: SubscriptionRecord;
  /** undefined: the scope had no subscription item. */
  expectedVersion: number | undefined;
  invoice: InvoiceRecord;
  /** When the payment was made: the session must have been unexpired then. */
  at: string;
}

export interface BillingStore {
  getSubscription(tenantId: string, ref: ScopeRef): Promise<SubscriptionRecord | undefined>;
  /** Replaces the subscription if its stored version is still `expectedVersion`; CONFLICT otherwise. */
  updateSubscription(tenantId: string, ref: ScopeRef, subscription: SubscriptionRecord, expectedVersion: number): Promise<void>;

  getCheckout(tenantId: string, sessionId: string): Promise<CheckoutSession | undefined>;
  createCheckout(tenantId: string, session: CheckoutSession): Promise<void>;
  /**
   * Completes the session, writes the subscription and the invoice in one transaction. False when a
   * condition failed (session no longer open or expired, subscription changed, lost race): nothing
   * was written and the caller re-reads the session to learn why.
   */
  completeCheckout(tenantId: string, completion: CheckoutCompletion): Promise<boolean>;

  getInvoice(tenantId: string, invoiceId: string): Promise<InvoiceRecord | undefined>;
  /** Newest first. */
  listInvoices(tenantId: string, page: PageRequest): Promise<Page<InvoiceRecord>>;

  /** Adds `amount` to the month's counter atomically and returns the new total. */
  addUsage(tenantId: string, month: string, metric: string, amount: number): Promise<number>;
  getUsage(tenantId: string, month: string, metric: string): Promise<number>;
  /** Every month's counters of the tenant (for all-time totals). */
  listUsage(tenantId: string): Promise<UsageRecord[]>;
}

export const CHANGED_CONCURRENTLY = 'The subscription changed while you were updating it; read it again and retry';

/** The condition for a subscription computed from `expectedVersion` (undefined: there was none). */
const atVersion = (expectedVersion: number | undefined) => (expectedVersion === undefined ? when.notExists() : when.eq('version', expectedVersion));

export function createBillingStore(table: Table): BillingStore {
  return {
    getSubscription: (tenantId, ref) => table.get<SubscriptionRecord>(tenantKey(tenantId, subscriptionSk(ref))),

    async updateSubscription(tenantId, ref, subscription, expectedVersion) {
      await writeOrThrow(table, [put(tenantKey(tenantId, subscriptionSk(ref)), subscription, atVersion(expectedVersion))], () => conflict(CHANGED_CONCURRENTLY));
    },

    getCheckout: (tenantId, sessionId) => table.get<CheckoutSession>(tenantKey(tenantId, checkoutSk(sessionId))),

    async createCheckout(tenantId, session) {
      await writeOrThrow(table, [put(tenantKey(tenantId, checkoutSk(session.sessionId)), session, when.notExists())], () =>
        conflict('This checkout session already exists'),
      );
    },

    async completeCheckout(tenantId, { session, subscription, expectedVersion, invoice, at }) {
      const outcome = await table.write([
        put(tenantKey(tenantId, checkoutSk(session.sessionId)), session, when.and(when.eq('status', 'open'), when.above('expiresAt', at))),
        put(tenantKey(tenantId, subscriptionSk(scopeRefOf(session))), subscription, atVersion(expectedVersion)),
        put(tenantKey(tenantId, invoiceSk(invoice.id)), invoice, when.notExists()),
      ]);
      return outcome.ok;
    },

    getInvoice: (tenantId, invoiceId) => table.get<InvoiceRecord>(tenantKey(tenantId, invoiceSk(invoiceId))),

    listInvoices: (tenantId, page) => table.query<InvoiceRecord>(tenantPk(tenantId), INVOICE_PREFIX, page, { newestFirst: true }),

    async addUsage(tenantId, month, metric, amount) {
      // The addition is applied by the table itself: concurrent records never overwrite each other's counts.
      const item = await writeOrThrow(table, [update(tenantKey(tenantId, usageSk(month, metric)), { set: { month, metric }, add: { used: amount } })], () =>
        conflict(CHANGED_CONCURRENTLY),
      );
      return Number(item?.used ?? 0);
    },

    async getUsage(tenantId, month, metric) {
      return (await table.get<UsageRecord>(tenantKey(tenantId, usageSk(month, metric))))?.used ?? 0;
    },

    listUsage: (tenantId) => table.all<UsageRecord>(tenantPk(tenantId), USAGE_PREFIX),
  };
}
