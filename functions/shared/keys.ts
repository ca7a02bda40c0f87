// Key helpers every service table shares: the tenant partition, time-ordered ids and cursors that
// carry only a sort key.
import { randomBytes } from 'node:crypto';
import { invalid } from '#connectors/contracts/wire';
import type { Key } from './table.ts';

export const tenantPk = (tenantId: string) => `T#${tenantId}`;
/** The key of a tenant's item: every store reaches its tenant's items only through this. */
export const tenantKey = (tenantId: string, sk: string): Key => ({ pk: tenantPk(tenantId), sk });

let lastMillis = 0;
let sequence = 0;
/**
 * Time-ordered ids, so a newest-first listing is a reverse key order. A per-container sequence keeps
 * ids created in the same millisecond in creation order; across containers the order is by millisecond.
 */
export function newId(prefix: string, now: Date): string {
  const millis = Math.max(now.getTime(), lastMillis);
  sequence = millis === lastMillis ? sequence + 1 : 0;
  lastMillis = millis;
  return `${prefix}_${millis.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(3, '0')}${randomBytes(4).toString('hex')}`;
}

/** Cursors carry only the last sort key; the partition always comes from the caller's tenant. */
export const encodeCursor = (sk: string): string => Buffer.from(sk, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined, prefix: string): string | undefined {
  if (cursor === undefined) return undefined;
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(prefix)) throw invalid('cursor: not a cursor of this list', { issues: [{ field: 'cursor', message: 'not a cursor of this list' }] });
  return sk;
}
