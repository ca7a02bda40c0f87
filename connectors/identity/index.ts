// The Identity connector: the typed client the execute runtime and plugins use, over whichever transport the loader picked.
import { createConnector, type ConnectorOf, type Transport } from '../base.ts';
import { identityContract, type IdentityContract } from './contract.ts';

export type IdentityConnector = ConnectorOf<IdentityContract>;

export const createIdentityConnector = (transport: Transport): IdentityConnector => createConnector('identity', identityContract, transport);
