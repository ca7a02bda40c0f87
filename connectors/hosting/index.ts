// The Hosting connector: the typed client plugins use, over whichever transport the loader picked.
import { createConnector, type ConnectorOf, type Transport } from '../base.ts';
import { hostingContract, type HostingContract } from './contract.ts';

export type HostingConnector = ConnectorOf<HostingContract>;

export const createHostingConnector = (transport: Transport): HostingConnector => createConnector('hosting', hostingContract, transport);
