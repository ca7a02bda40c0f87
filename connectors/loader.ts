// Builds the ConnectorBundle from plain configuration. Connectors never read the environment:
// the execute handler's entry (or the local platform, or a test) decides and passes it in.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaTransport, type Transport } from './base.ts';
import { createHostingConnector, type HostingConnector } from './hosting/index.ts';
import { createMockHostingConnector, type MockHostingOptions } from './hosting/mock.ts';

export interface ConnectorBundle {
  hosting: HostingConnector;
}
export type ServiceKey = keyof ConnectorBundle;

export type ConnectorConfig =
  | { mode: 'mock'; hosting?: MockHostingOptions }
  /** Managed over Lambda Invoke: one function name per service. */
  | { mode: 'lambda'; client: LambdaClient; functionNames: Record<ServiceKey, string> }
  /** Managed over any transport per service (the local platform's in-process handlers). */
  | { mode: 'transports'; transports: Record<ServiceKey, Transport> };

export function loadConnectors(config: ConnectorConfig): ConnectorBundle {
  switch (config.mode) {
    case 'mock':
      return { hosting: createMockHostingConnector(config.hosting) };
    case 'lambda':
      return { hosting: createHostingConnector(lambdaTransport(config.client, config.functionNames.hosting, 'hosting')) };
    case 'transports':
      return { hosting: createHostingConnector(config.transports.hosting) };
  }
}
