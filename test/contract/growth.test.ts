import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeGrowthContract } from '../support/growth-contract-suite.ts';

describe.each(TABLE_KINDS)('Growth over the %s table', (kind) => {
  describeGrowthContract(kind, (adapters) => connectorOn('growth', kind, adapters));
});
