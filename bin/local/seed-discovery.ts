// Demo Discovery data for `npm start` (a stub until the Discovery service lands).
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';

export async function seedDiscovery(_connectors: ConnectorBundle, _owner: CallContext): Promise<void> {}
