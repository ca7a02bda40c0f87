import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeFundingContract } from '../support/funding-contract-suite.ts';

describe.each(TABLE_KINDS)('Funding over the %s table', (kind) => {
  describeFundingContract(kind, () => connectorOn('funding', kind));
});
