// Hosting's key layout, one table: every tenant's items live under its own partition `T#<tenantId>`.
// The one exception is the domain claim: a domain is unique on the whole platform, so its claim item
// is keyed by the name. It holds only the owner's ids and is never returned to a caller.
import type { Key } from '#functions/shared/table';
export { decodeCursor, encodeCursor, newId, tenantKey, tenantPk } from '#functions/shared/keys';

export const appSk = (appId: string) => `APP#${appId}`;
export const slugSk = (slug: string) => `SLUG#${slug}`;
export const deploymentPrefix = (appId: string) => `DEP#${appId}#`;
export const domainPrefix = (appId: string) => `DOM#${appId}#`;
export const APP_PREFIX = 'APP#';
/** Per-tenant counts that plan limits are checked against, inside the same transaction as the change. */
export const counterSk = (what: 'apps' | 'domains') => `COUNT#${what}`;
export const domainClaimKey = (domain: string): Key => ({ pk: `DOMAIN#${domain}`, sk: 'CLAIM' });
