import { createMockHostingConnector } from '#connectors/hosting/mock';
import { describeHostingContract } from '../support/hosting-contract-suite.ts';

describeHostingContract('mock (in memory)', (dns) => ({ connector: createMockHostingConnector({ dns }) }));
