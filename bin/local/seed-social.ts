// Demo Social data for `npm start` (a stub until the Social service lands).
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';

export async function seedSocial(_connectors: ConnectorBundle, _owner: CallContext): Promise<void> {}
