// Hosting's key layout, one table: every tenant's items live under its own partition `T#<tenantId>`.
// The one exception is the domain claim: a domain is unique on the whole platform, so its claim item
// is keyed by the name. It holds only the owner's ids and is never returned to a caller.
import { invalid } from '#connectors/wire';

export const tenantPk = (tenantId: string) => `T#${tenantId}`;
export const appSk = (appId: string) => `APP#${appId}`;
export const slugSk = (slug: string) => `SLUG#${slug}`;
export const deploymentPrefix = (appId: string) => `DEP#${appId}#`;
export const domainPrefix = (appId: string) => `DOM#${appId}#`;
export const APP_PREFIX = 'APP#';
export const domainClaimKey = (domain: string) => ({ pk: `DOMAIN#${domain}`, sk: 'CLAIM' });

/** Cursors carry only the last sort key; the partition always comes from the caller's tenant. */
export const encodeCursor = (sk: string): string => Buffer.from(sk, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined, prefix: string): string | undefined {
  if (cursor === undefined) return undefined;
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(prefix)) throw invalid('cursor: not a cursor of this list', { issues: [{ field: 'cursor', message: 'not a cursor of this list' }] });
  return sk;
}
