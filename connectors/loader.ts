// Builds the connector bundle, one typed client per registry entry, over Lambda Invoke (AWS) or any
// transports (the local platform's and mock mode's in-process handlers). Connectors never read the
// environment: the execute handler's entry (or the local platform, or a test) passes the configuration.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createConnector, lambdaTransport, type ConnectorOf, type Transport } from './base.ts';
import { SERVICES, SERVICE_NAMES, type ServiceName, type Services } from './contracts/registry.ts';
import { withPlatformOperations, type TenantPurgeContract } from './contracts/tenant-purge.ts';

/** The operations every service's client has besides its contract's (connectors/contracts/tenant-purge.ts). */
type PlatformOperations = Omit<ConnectorOf<TenantPurgeContract>, 'emit'>;
/** Each service's client: its contract's operations plus those every service has (`purgeTenant`). */
export type ConnectorBundle = { readonly [K in ServiceName]: ConnectorOf<Services[K]['contract']> & PlatformOperations };
export type { ServiceName };

export type ConnectorConfig =
  /** Managed over Lambda Invoke: one function name per service, each call within `deadlineMs`. */
  | { mode: 'lambda'; client: LambdaClient; functionNames: Record<ServiceName, string>; deadlineMs?: number }
  /** Over any transport per service. */
  | { mode: 'transports'; transports: Record<ServiceName, Transport> };

export function loadConnectors(config: ConnectorConfig): ConnectorBundle {
  const transportOf = (name: ServiceName): Transport =>
    config.mode === 'lambda' ? lambdaTransport(config.client, config.functionNames[name], name, config.deadlineMs) : config.transports[name];
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, createConnector(name, withPlatformOperations(SERVICES[name].contract), transportOf(name))])) as unknown as ConnectorBundle;
}
