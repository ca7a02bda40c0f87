// The connector bundle with every registry service built in this process, each over its own table:
// the local platform (DynamoDB Local tables), mock mode and tests (memory tables). Each service comes
// from its folder's `service.ts` by convention, loaded when first needed, so nothing on the Lambda
// path carries the services' rules. Requests and results still cross a JSON boundary, as over Lambda.
import { inProcessTransport, type Transport } from '#connectors/base';
import { SERVICE_NAMES, type ServiceName } from '#connectors/contracts/registry';
import { loadConnectors, type ConnectorBundle } from '#connectors/loader';
import type { Settings } from '#functions/shared/env';
import { createLogger } from '#functions/shared/logger';
import { createMemoryTable } from '#functions/shared/memory-table';
import type { Table } from '#functions/shared/table';
import { buildService, type ServiceModule } from '#functions/shared/tenant-purge';

export interface InProcessOptions {
  /** Each service's table. @default a fresh memory table each (mock mode) */
  table?: (service: ServiceName) => Table;
  /** Settings every service reads (e.g. PAYMENT_PROVIDER, DNS_FILE); each takes what it knows. */
  settings?: Settings;
  /** Stand-ins for a service's outside world, by service (tests: a DNS double, a payment double, a clock). */
  adapters?: Partial<Record<ServiceName, object>>;
}

const load = (name: ServiceName): Promise<ServiceModule> => import(`./${name}/service.ts`);

export async function createInProcessConnectors({ table = () => createMemoryTable(), settings = {}, adapters = {} }: InProcessOptions = {}): Promise<ConnectorBundle> {
  const transports = await Promise.all(
    SERVICE_NAMES.map(async (name): Promise<[ServiceName, Transport]> => {
      // As on Lambda: the service's own operations plus those every service has (purgeTenant).
      const handler = buildService(await load(name), { table: table(name), logger: createLogger(name), settings }, adapters[name]);
      return [name, inProcessTransport(handler, name)];
    }),
  );
  return loadConnectors({ mode: 'transports', transports: Object.fromEntries(transports) as Record<ServiceName, Transport> });
}

/** For tests of the runtime and plugins: memory tables, every tenant on `enterprise` unless it buys a plan (so no plan gate gets in the way), payments approved on `checkoutUrl`. */
export const createMockConnectors = ({ checkoutUrl = 'http://localhost/checkout', dnsFile }: { checkoutUrl?: string; dnsFile?: string } = {}) =>
  createInProcessConnectors({
    settings: { BILLING_DEFAULT_PLAN: 'enterprise', PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: checkoutUrl, TLS_CERTIFICATES: 'immediate', ...(dnsFile && { DNS_FILE: dnsFile }) },
  });
