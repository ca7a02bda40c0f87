// Demo Funding data for `npm start` (a stub until the Funding service lands).
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';

export async function seedFunding(_connectors: ConnectorBundle, _owner: CallContext): Promise<void> {}
