import { describe } from 'vitest';
import { TABLE_KINDS } from '../support/contract-kit.ts';
import { describeTenantRemoval } from '../support/tenant-removal-suite.ts';

describe.each(TABLE_KINDS)('Tenant removal over the %s table', (kind) => {
  describeTenantRemoval(kind);
});
