import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeIdentityContract } from '../support/identity-contract-suite.ts';

describe.each(TABLE_KINDS)('Identity over the %s table', (kind) => {
  describeIdentityContract(kind, () => connectorOn('identity', kind));
});
