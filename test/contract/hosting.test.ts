import { describe } from 'vitest';
import { TABLE_KINDS, connectorOn } from '../support/contract-kit.ts';
import { describeHostingContract } from '../support/hosting-contract-suite.ts';

describe.each(TABLE_KINDS)('Hosting over the %s table', (kind) => {
  describeHostingContract(kind, (dns) => connectorOn('hosting', kind, { dns }));
});
