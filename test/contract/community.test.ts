import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeCommunityContract } from '../support/community-contract-suite.ts';

describe.each(TABLE_KINDS)('Community over the %s table', (kind) => {
  describeCommunityContract(kind, () => connectorOn('community', kind));
});
