// Billing's key layout, one table, tenant-first: every item of a tenant lives under `T#<tenantId>`.
// Sort keys: `SUB#platform` / `SUB#app#<appId>` (one subscription per scope), `CHECKOUT#<sessionId>`,
// `INV#<invoiceId>` (time-ordered ids: newest first is reverse key order) and
// `USAGE#<yyyy-mm>#<metric>` (one counter per calendar month, UTC, and metric).
export { decodeCursor, encodeCursor, newId, tenantKey, tenantPk } from '#functions/shared/keys';

export type Scope = 'platform' | 'app';
/** Which subscription: the tenant's platform plan, or one app's own plan. */
export type ScopeRef = { scope: 'platform' } | { scope: 'app'; appId: string };

/** The scope of a stored session or subscription (operations guarantee an app scope has its appId). */
export const scopeRefOf = ({ scope, appId }: { scope: Scope; appId?: string }): ScopeRef =>
  scope === 'app' ? { scope, appId: appId! } : { scope: 'platform' };

export const subscriptionSk = (ref: ScopeRef) => (ref.scope === 'app' ? `SUB#app#${ref.appId}` : 'SUB#platform');
export const checkoutSk = (sessionId: string) => `CHECKOUT#${sessionId}`;
export const INVOICE_PREFIX = 'INV#';
export const invoiceSk = (invoiceId: string) => `${INVOICE_PREFIX}${invoiceId}`;
export const USAGE_PREFIX = 'USAGE#';
export const usageSk = (month: string, metric: string) => `${USAGE_PREFIX}${month}#${metric}`;

/** The metering month of an instant, `yyyy-mm` in UTC. */
export const monthKey = (at: Date): string => at.toISOString().slice(0, 7);
