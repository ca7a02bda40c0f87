import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeDiscoveryContract } from '../support/discovery-contract-suite.ts';

describe.each(TABLE_KINDS)('Discovery over the %s table', (kind) => {
  describeDiscoveryContract(kind, (adapters) => connectorOn('discovery', kind, adapters));
});
