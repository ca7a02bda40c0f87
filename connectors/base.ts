// Transports and the generic connector: a connector is its contract plus a way to reach the service.
// Managed mode sends `{ op, input, context }` over Lambda Invoke; local managed mode sends the same
// JSON to the real handler in-process; both return the wire Result, which the connector unwraps.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Contract, InputOf, OutputOf } from './contracts/contract.ts';
import { PlatformError, type CallContext, type Result, type ServiceRequest } from './contracts/wire.ts';

/**
 * A typed client of a service: one method per contract operation (throws PlatformError on `ok: false`),
 * and `emit` to send an operation fire-and-forget (metering): resolves once handed over, never
 * rejects; the service alone validates the input, so an invalid one is dropped too.
 */
export type ConnectorOf<C extends Contract> = {
  [K in keyof C]: (ctx: CallContext, input: InputOf<C, K>) => Promise<OutputOf<C, K>>;
} & {
  emit<K extends keyof C & string>(op: K, ctx: CallContext, input: InputOf<C, K>): Promise<void>;
};

export interface Transport {
  send(request: ServiceRequest): Promise<Result<unknown>>;
  /**
   * Fire-and-forget: hands the request over without waiting for the operation's result (metering).
   * Resolves true once handed over, false if that failed; never rejects. Optional: see emitRequest.
   */
  emit?(request: ServiceRequest): Promise<boolean>;
}

const unavailable = (service: string) =>
  ({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: `The ${service} service is unavailable; try again` } }) as const;

/**
 * How long one service call may take before the caller gets UPSTREAM_UNAVAILABLE. It must stay below
 * the execute function's own timeout, or API Gateway answers its bare 500 instead of the envelope
 * (the stack sets MOZAIKS_SERVICE_DEADLINE_MS: execute 12 s > deadline 9 s > service 8 s).
 */
export const DEFAULT_SERVICE_DEADLINE_MS = 9_000;

/**
 * Lambda Invoke (RequestResponse). A FunctionError, a throttle, a timeout or no answer within
 * `deadlineMs` (the SDK has no timeout of its own) becomes UPSTREAM_UNAVAILABLE.
 */
export function lambdaTransport(client: LambdaClient, functionName: string, service: string, deadlineMs: number = DEFAULT_SERVICE_DEADLINE_MS): Transport {
  return {
    async send(request) {
      try {
        const response = await client.send(
          new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(request)) }),
          { abortSignal: AbortSignal.timeout(deadlineMs) },
        );
        if (response.FunctionError || !response.Payload) return unavailable(service);
        return JSON.parse(new TextDecoder().decode(response.Payload)) as Result<unknown>;
      } catch {
        return unavailable(service);
      }
    },
    /** Lambda Invoke (Event): Lambda queues the request and answers 202 without running it first. */
    async emit(request) {
      try {
        const response = await client.send(
          new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(request)) }),
          { abortSignal: AbortSignal.timeout(deadlineMs) },
        );
        return response.StatusCode === 202;
      } catch {
        return false;
      }
    },
  };
}

export type ServiceHandler = (event: unknown) => Promise<unknown>;

/**
 * Calls a service handler in the same process with the event and result serialized exactly as
 * Lambda would, so nothing passes by reference that could not cross the wire.
 */
export function inProcessTransport(handler: ServiceHandler, service: string): Transport {
  return {
    async send(request) {
      try {
        const result = await handler(JSON.parse(JSON.stringify(request)));
        return JSON.parse(JSON.stringify(result)) as Result<unknown>;
      } catch {
        return unavailable(service);
      }
    },
    async emit(request) {
      try {
        const event: unknown = JSON.parse(JSON.stringify(request));
        // Started, not awaited; its result (or crash) goes nowhere, as with an Event invoke.
        void Promise.resolve()
          .then(() => handler(event))
          .catch(() => undefined);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Sends a request fire-and-forget over any transport: its emit, else send without awaiting. Never rejects. */
export function emitRequest(transport: Transport, request: ServiceRequest): Promise<boolean> {
  if (transport.emit) return transport.emit(request).catch(() => false);
  void transport.send(request).catch(() => undefined);
  return Promise.resolve(true);
}

/** Builds the typed connector for a contract over any transport. */
export function createConnector<C extends Contract>(service: string, contract: C, transport: Transport): ConnectorOf<C> {
  const connector: Record<string, unknown> = {
    emit: async (op: string, context: CallContext, input: unknown) => {
      await emitRequest(transport, { op, input, context });
    },
  };
  // Keys only: an operation's schemas are built when it is first called (defineContract).
  for (const op of Object.keys(contract)) {
    connector[op] = async (context: CallContext, input: unknown) => {
      const result = await transport.send({ op, input, context });
      if (!result.ok) throw new PlatformError(result.error.code, result.error.message, result.error.details);
      const data = contract[op]!.output.safeParse(result.data);
      // A reply that breaks the contract is our bug, not the caller's: report it as such.
      if (!data.success) throw new PlatformError('INTERNAL', `The ${service} service answered ${op} outside its contract`);
      return data.data;
    };
  }
  return connector as ConnectorOf<C>;
}
