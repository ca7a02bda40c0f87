// Discovery's part in removing a tenant (functions/shared/tenant-purge.ts). Quests, progress, points and
// the leaderboard are in the tenant's partition (the generic purge); its listings are not: each lives
// under `DISC#L#<appId>` (with every user's rating of it) and is indexed in platform-wide search
// partitions. Discovery does not know which apps are the tenant's, so the caller passes Hosting's app
// ids; a listing is removed only if it names this tenant as its owner. Per listing, in bounded steps:
//   1. its current index items, a few partitions at a time, in one write with the listing (unpublished
//      at once, so no rating lands meanwhile; `parts` keeps what is left, so a step is never repeated);
//   2. the ratings in its partition (of any tenant's users: they rated this listing, which goes);
//   3. the listing itself.
// Index items an interrupted publish left behind (search skips them: their revision is not current) are
// not found this way: README "Removing a tenant".
import { remove, update, when, type Table, type Write } from '#functions/shared/table';
import type { PurgeHook } from '#functions/shared/tenant-purge';
import { listingKey } from './keys.ts';
import { INDEX_PARTS, indexItems } from './search-index.ts';
import type { ListingRecord } from './store.ts';

/** Listings looked up per call at most, so a tenant with many apps and few listings still answers quickly. */
const LOOKUPS_PER_CALL = 100;

/** One bounded step of removing one listing: the number of items deleted, or 'lost' when it changed meanwhile. */
async function step(table: Table, listing: ListingRecord, limit: number): Promise<number | 'lost'> {
  const key = listingKey(listing.appId);
  const ownerIs = when.eq('tenantId', listing.tenantId);
  if (listing.parts.length > 0) {
    // Two index items per partition (the newest and the rating order), plus the listing's own update.
    const taken = listing.parts.slice(0, Math.max(1, Math.floor((limit - 1) / 2)));
    const deletes = INDEX_PARTS.flatMap((part) => indexItems(part, listing, { ...listing, parts: taken })).map(({ key: indexKey }) => remove(indexKey));
    const outcome = await table.write([
      ...deletes,
      update(key, { set: { published: false, parts: listing.parts.slice(taken.length) } }, when.and(ownerIs, when.eq('newestRev', listing.newestRev), when.eq('ratingRev', listing.ratingRev))),
    ]);
    return outcome.ok ? deletes.length : 'lost';
  }
  // Everything else in its partition (its ratings), then the listing itself.
  const others = (await table.keys(key.pk, '', { limit: limit + 1 })).items.filter((sk) => sk !== key.sk).slice(0, limit);
  const writes: Write[] = others.length > 0 ? others.map((sk) => remove({ pk: key.pk, sk })) : [remove(key, ownerIs)];
  // Unpublished since step 1 (or before), so no new rating can land; the listing goes last.
  return (await table.write(writes)).ok ? writes.length : 'lost';
}

export const purgeHook: PurgeHook = {
  async outside(table, { tenantId, limit, cursor, appIds }) {
    // In app id order from the cursor (the app being removed), so a resumed call skips the finished ones.
    const apps = [...new Set(appIds)].sort().filter((appId) => cursor === undefined || appId >= cursor);
    for (const appId of apps.slice(0, LOOKUPS_PER_CALL)) {
      const listing = await table.get<ListingRecord>(listingKey(appId));
      if (listing?.tenantId !== tenantId) continue;
      const removed = await step(table, listing, limit);
      return { removed: removed === 'lost' ? 0 : removed, done: false, cursor: appId };
    }
    const next = apps[LOOKUPS_PER_CALL];
    return next === undefined ? { removed: 0, done: true } : { removed: 0, done: false, cursor: next };
  },
};
