// The mock Identity connector: stateful, in memory, no AWS. It runs the service's own operations over
// an in-memory store behind the same service handler, so mock mode obeys exactly the rules managed
// mode does (a deliberate deviation from a separate hand-written fake: the rules exist once).
import { createIdentityOperations } from '#functions/services/identity/operations';
import { createMemoryIdentityStore } from '#functions/services/identity/memory-store';
import { createServiceHandler } from '#functions/shared/service-handler';
import { createLogger } from '#functions/shared/logger';
import { inProcessTransport } from '../base.ts';
import { identityContract } from './contract.ts';
import { createIdentityConnector, type IdentityConnector } from './index.ts';

export function createMockIdentityConnector(): IdentityConnector {
  const operations = createIdentityOperations({ store: createMemoryIdentityStore() });
  return createIdentityConnector(inProcessTransport(createServiceHandler(identityContract, operations, createLogger('identity-mock')), 'identity'));
}
