// The Billing connector: the typed client plugins and the execute runtime use, over whichever
// transport the loader picked, plus a fire-and-forget recordUsage for metering.
import { createConnector, emitRequest, type ConnectorOf, type InputOf, type Transport } from '../base.ts';
import type { CallContext } from '../wire.ts';
import { billingContract, type BillingContract } from './contract.ts';

export type BillingConnector = ConnectorOf<BillingContract> & {
  /**
   * Sends recordUsage without waiting for the count (metering must not add a service round trip to
   * every action). Resolves once the request is handed over (Lambda: queued by an Event invoke, a few
   * ms); never rejects, and a failed hand-over is dropped: metering is best effort. Input is validated
   * by the service only, so an invalid one is dropped too.
   */
  recordUsageAsync(ctx: CallContext, input: InputOf<BillingContract, 'recordUsage'>): Promise<void>;
};

export function createBillingConnector(transport: Transport): BillingConnector {
  return {
    ...createConnector('billing', billingContract, transport),
    async recordUsageAsync(context, input) {
      await emitRequest(transport, { op: 'recordUsage', input, context });
    },
  };
}
