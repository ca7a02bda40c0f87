// Hosting's part in removing a tenant (functions/shared/tenant-purge.ts): its one kind of item outside
// the tenant's partition is a verified domain's platform-wide claim `DOMAIN#<name>`. Each domain of the
// tenant goes in one write with its claim, when the claim is this tenant's (for this app): so no claim is
// ever left without its domain, and a claim another tenant won for the same name is never touched. The
// rest of the partition (apps, slugs, deployments, counters) goes with the generic purge.
import type { Domain } from '#connectors/contracts/hosting';
import { remove, when, type Write } from '#functions/shared/table';
import type { PurgeHook } from '#functions/shared/tenant-purge';
import { domainClaimKey, domainPrefix, tenantKey, tenantPk } from './keys.ts';

/** Every domain of every app (`domainPrefix(appId)` is `DOM#<appId>#`). */
const DOMAINS = 'DOM#';

export const purgeHook: PurgeHook = {
  async outside(table, { tenantId, limit }) {
    // Two deletes per domain at most (the domain and its claim). Deleted domains leave the prefix, so
    // every call reads from its start.
    const page = await table.query<Domain>(tenantPk(tenantId), DOMAINS, { limit: Math.max(1, Math.floor(limit / 2)) });
    if (page.items.length === 0) return { removed: 0, done: true };
    const claims = await Promise.all(page.items.map(({ domain }) => table.get<{ tenantId: string; appId: string }>(domainClaimKey(domain))));
    const writes: Write[] = page.items.flatMap(({ domain, appId }, i) => [
      remove(tenantKey(tenantId, domainPrefix(appId) + domain)),
      ...(claims[i]?.tenantId === tenantId && claims[i]?.appId === appId
        ? [remove(domainClaimKey(domain), when.and(when.eq('tenantId', tenantId), when.eq('appId', appId)))]
        : []),
    ]);
    // A domain verified or removed meanwhile fails the claim's condition: the next call reads again.
    if (!(await table.write(writes)).ok) return { removed: 0, done: false };
    return { removed: writes.length, done: page.nextCursor === undefined };
  },
};
