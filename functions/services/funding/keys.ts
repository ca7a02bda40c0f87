// Funding's key layout, one table. A round and its pledges live under the round's tenant; an investor's
// position pointers and payout ledger under the investor's tenant; the one global item is a round's
// immutable reference (which tenant owns it), so an investor of any tenant can find it by id.
// Ids are time-ordered: newest first is reverse key order.
import type { Key } from '#functions/shared/table';
export { newId, tenantKey, tenantPk, encodeCursor, decodeCursor } from '#functions/shared/keys';

export const ROUND_PREFIX = 'ROUND#';
export const roundSk = (roundId: string) => ROUND_PREFIX + roundId;
/** Global, never returned: `{ tenantId }` of the round's owner, written once with the round. */
export const roundRefKey = (roundId: string): Key => ({ pk: `ROUNDREF#${roundId}`, sk: 'REF' });

export const pledgePrefix = (roundId: string) => `PLEDGE#${roundId}#`;
export const pledgeSk = (roundId: string, pledgeId: string) => pledgePrefix(roundId) + pledgeId;

/** User ids come from tokens and may hold `#`: encoded, so one user's prefix never matches another's keys. */
const user = (userId: string) => encodeURIComponent(userId);

export const positionPrefix = (userId: string) => `POS#${user(userId)}#`;
export const positionSk = (userId: string, pledgeId: string) => positionPrefix(userId) + pledgeId;

export const payoutPrefix = (userId: string) => `PAYOUT#${user(userId)}#`;
export const payoutSk = (userId: string, payoutId: string) => payoutPrefix(userId) + payoutId;

/** Under the app's tenant: this report has paid this round (so it pays once). */
export const revenueClaimSk = (reportId: string, roundId: string) => `REVENUE#${reportId}#${roundId}`;
