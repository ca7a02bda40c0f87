// Identity's part in removing a tenant (functions/shared/tenant-purge.ts): everything is in the
// tenant's partition, but the order matters. The owners' users and the `OWNERS` count go last: while
// the count stands, someone signing in meanwhile is a plain member (the first user of a tenant without
// owners becomes its owner), and an owner whose removal stopped halfway is still an owner when it
// calls `remove_tenant` again.
import { when } from '#functions/shared/table';
import type { PurgeHook } from '#functions/shared/tenant-purge';
import { OWNERS_SK, USER_PREFIX, tenantPk, userSk } from './keys.ts';
import { OWNER_ROLE } from './operations.ts';

export const purgeHook: PurgeHook = {
  async last(table, tenantId) {
    const owners: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.query<{ userId: string }>(tenantPk(tenantId), USER_PREFIX, { limit: 100, cursor }, { filter: when.contains('roles', OWNER_ROLE) });
      owners.push(...page.items.map(({ userId }) => userSk(userId)));
      cursor = page.nextCursor;
    } while (cursor);
    return [...owners, OWNERS_SK];
  },
};
