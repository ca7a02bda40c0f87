// The mock Hosting connector: stateful, in memory, no AWS. It runs the service's own operations over
// an in-memory store behind the same service handler, so mock mode obeys exactly the rules managed
// mode does (a deliberate deviation from a separate hand-written fake: the rules exist once).
import { createHostingOperations, type TxtResolver } from '#functions/services/hosting/operations';
import { createMemoryHostingStore } from '#functions/services/hosting/memory-store';
import { createServiceHandler } from '#functions/shared/service-handler';
import { createLogger } from '#functions/shared/logger';
import { inProcessTransport } from '../base.ts';
import { hostingContract } from './contract.ts';
import { createHostingConnector, type HostingConnector } from './index.ts';

export interface MockHostingOptions {
  /** TXT records the mock sees; @default none, so verification fails until you add the record */
  dns?: TxtResolver;
}

export function createMockHostingConnector({ dns = { resolveTxt: async () => [] } }: MockHostingOptions = {}): HostingConnector {
  const operations = createHostingOperations({
    store: createMemoryHostingStore(),
    dns,
    // Mock mode has no edge: a verified domain's certificate is active at once.
    certificates: { request: async () => ({ status: 'active', expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }) },
  });
  return createHostingConnector(inProcessTransport(createServiceHandler(hostingContract, operations, createLogger('hosting-mock')), 'hosting'));
}
