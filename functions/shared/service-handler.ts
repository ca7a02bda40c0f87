// The one place a service Lambda turns a wire request into a wire result: validate the envelope and
// the operation's input against the contract, run the operation, and map failures to codes.
// Business failures travel as results; anything unexpected is logged and answered as INTERNAL.
import type { Contract, InputOf, OutputOf } from '#connectors/contracts/contract';
import * as z from 'zod/mini';
import { describeIssues, parseOrThrow } from '#connectors/contracts/schema';
import { PlatformError, type CallContext, type Result } from '#connectors/contracts/wire';
import type { Settings } from './env.ts';
import type { Logger } from './logger.ts';
import type { Table } from './table.ts';

/** The domain side of a contract: one function per operation, given the validated input. */
export type OperationsOf<C extends Contract> = {
  [K in keyof C]: (ctx: CallContext, input: z.output<C[K]['input']>) => Promise<OutputOf<C, K>>;
};
export type { InputOf };

/** What every service is built from: its table, its logger and its settings. */
export interface ServiceEnvironment {
  table: Table;
  logger: Logger;
  settings: Settings;
}
/** A service folder's `service.ts` exports `createService` of this shape; `adapters` replace its outside world in tests. */
export type CreateService<Adapters = object> = (environment: ServiceEnvironment, adapters?: Partial<Adapters>) => (event: unknown) => Promise<Result<unknown>>;

const envelope = z.object({
  op: z.string().check(z.minLength(1)),
  input: z.unknown(),
  context: z.object({
    tenantId: z.string().check(z.minLength(1)),
    userId: z.string().check(z.minLength(1)),
    roles: z.array(z.string()),
    correlationId: z.string().check(z.minLength(1)),
    displayName: z.optional(z.string().check(z.maxLength(128))),
  }),
});

export function createServiceHandler<C extends Contract>(
  contract: C,
  operations: OperationsOf<C>,
  logger: Logger,
): (event: unknown) => Promise<Result<unknown>> {
  return async (event) => {
    let correlationId: string | undefined;
    try {
      // The envelope and the operation name come from our own runtime, never from a client: a bad one
      // is our bug, logged in full and answered as INTERNAL so no internal message reaches a caller.
      const parsed = envelope.safeParse(event);
      if (!parsed.success) throw new Error(`Invalid service request: ${JSON.stringify(describeIssues(parsed.error)).slice(0, 1000)}`);
      const request = parsed.data;
      correlationId = request.context.correlationId;
      const schemas = Object.hasOwn(contract, request.op) ? contract[request.op] : undefined;
      if (!schemas) throw new Error(`Unknown operation ${request.op}`);
      const input = parseOrThrow(schemas.input, request.input);
      const operation = operations[request.op as keyof C];
      return { ok: true, data: await operation(request.context, input as never) };
    } catch (error) {
      if (error instanceof PlatformError) return { ok: false, error: error.toWire() };
      logger.error('operation failed', { correlationId, error: error as Error });
      return { ok: false, error: { code: 'INTERNAL', message: 'Internal error' } };
    }
  };
}
