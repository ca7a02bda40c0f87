import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeSocialContract } from '../support/social-contract-suite.ts';

describe.each(TABLE_KINDS)('Social over the %s table', (kind) => {
  describeSocialContract(kind, () => connectorOn('social', kind));
});
