// What a service contract is: one input and one output schema per operation. Services validate what
// comes in with it; connector clients validate what comes back.
import type * as z from 'zod/mini';

export interface OperationSchemas {
  readonly input: z.ZodMiniType;
  readonly output: z.ZodMiniType;
}
export type Contract = Record<string, OperationSchemas>;

/** What callers of operation K send (defaults still optional) and get back. */
export type InputOf<C extends Contract, K extends keyof C> = z.input<C[K]['input']>;
export type OutputOf<C extends Contract, K extends keyof C> = z.output<C[K]['output']>;
