// Demo Community data for `npm start` (a stub until the Community service lands).
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';

export async function seedCommunity(_connectors: ConnectorBundle, _owner: CallContext): Promise<void> {}
