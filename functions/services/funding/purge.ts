// Funding's part in removing a tenant (functions/shared/tenant-purge.ts): its one kind of item outside
// the tenant's partition is a round's global reference `ROUNDREF#<roundId>` (which tenant owns the
// round). Each round of the tenant goes in one write with its reference, so no reference is ever left
// without its round; once the round is gone, no pledge or cancel can land on it (both are conditioned
// on the round). The rest of the partition (pledges to its rounds, its investors' positions and
// payouts, revenue claims) goes with the generic purge. What other tenants keep about it is theirs:
// README "Removing a tenant".
import type { Round } from '#connectors/contracts/funding';
import { remove, when, type Write } from '#functions/shared/table';
import type { PurgeHook } from '#functions/shared/tenant-purge';
import { ROUND_PREFIX, roundRefKey, roundSk, tenantKey, tenantPk } from './keys.ts';

export const purgeHook: PurgeHook = {
  async outside(table, { tenantId, limit }) {
    // Two deletes per round; deleted rounds leave the prefix, so every call reads from its start.
    const page = await table.query<Round>(tenantPk(tenantId), ROUND_PREFIX, { limit: Math.max(1, Math.floor(limit / 2)) });
    if (page.items.length === 0) return { removed: 0, done: true };
    const refs = await Promise.all(page.items.map(({ roundId }) => table.get<{ tenantId: string }>(roundRefKey(roundId))));
    const writes: Write[] = page.items.flatMap(({ roundId }, i) => [
      remove(tenantKey(tenantId, roundSk(roundId))),
      ...(refs[i]?.tenantId === tenantId ? [remove(roundRefKey(roundId), when.eq('tenantId', tenantId))] : []),
    ]);
    if (!(await table.write(writes)).ok) return { removed: 0, done: false };
    return { removed: writes.length, done: page.nextCursor === undefined };
  },
};
