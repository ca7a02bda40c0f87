import { createMockIdentityConnector } from '#connectors/identity/mock';
import { describeIdentityContract } from '../support/identity-contract-suite.ts';

describeIdentityContract('mock (in memory)', () => ({ connector: createMockIdentityConnector() }));
