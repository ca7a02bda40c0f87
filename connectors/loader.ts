// Builds the ConnectorBundle from plain configuration. Connectors never read the environment:
// the execute handler's entry (or the local platform, or a test) decides and passes it in.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaTransport, type Transport } from './base.ts';
import { createBillingConnector, type BillingConnector } from './billing/index.ts';
import { createMockBillingConnector } from './billing/mock.ts';
import { createHostingConnector, type HostingConnector } from './hosting/index.ts';
import { createMockHostingConnector, type MockHostingOptions } from './hosting/mock.ts';
import { createIdentityConnector, type IdentityConnector } from './identity/index.ts';
import { createMockIdentityConnector } from './identity/mock.ts';

export interface ConnectorBundle {
  hosting: HostingConnector;
  identity: IdentityConnector;
  billing: BillingConnector;
}
export type ServiceKey = keyof ConnectorBundle;

export type ConnectorConfig =
  /** In memory, no AWS. Every tenant is on `enterprise` unless it buys another plan (SERVICES.md: mock mode shows everything). */
  | { mode: 'mock'; hosting?: MockHostingOptions; checkoutUrl?: string }
  /** Managed over Lambda Invoke: one function name per service. */
  | { mode: 'lambda'; client: LambdaClient; functionNames: Record<ServiceKey, string> }
  /** Managed over any transport per service (the local platform's in-process handlers). */
  | { mode: 'transports'; transports: Record<ServiceKey, Transport> };

const overTransports = (transports: Record<ServiceKey, Transport>): ConnectorBundle => ({
  hosting: createHostingConnector(transports.hosting),
  identity: createIdentityConnector(transports.identity),
  billing: createBillingConnector(transports.billing),
});

export function loadConnectors(config: ConnectorConfig): ConnectorBundle {
  switch (config.mode) {
    case 'mock':
      return {
        hosting: createMockHostingConnector(config.hosting),
        identity: createMockIdentityConnector(),
        billing: createMockBillingConnector({ defaultPlan: 'enterprise', ...(config.checkoutUrl && { checkoutUrl: config.checkoutUrl }) }),
      };
    case 'lambda': {
      const { client, functionNames } = config;
      return overTransports({
        hosting: lambdaTransport(client, functionNames.hosting, 'hosting'),
        identity: lambdaTransport(client, functionNames.identity, 'identity'),
        billing: lambdaTransport(client, functionNames.billing, 'billing'),
      });
    }
    case 'transports':
      return overTransports(config.transports);
  }
}
