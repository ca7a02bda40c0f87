// What a service contract is: one input and one output schema per operation. Services validate what
// comes in with it; connector clients validate what comes back.
import type * as z from 'zod/mini';
import { lazy } from './schema.ts';

export interface OperationSchemas {
  readonly input: z.ZodMiniType;
  readonly output: z.ZodMiniType;
}
export type Contract = Record<string, OperationSchemas>;

/** What callers of operation K send (defaults still optional) and get back. */
export type InputOf<C extends Contract, K extends keyof C> = z.input<C[K]['input']>;
export type OutputOf<C extends Contract, K extends keyof C> = z.output<C[K]['output']>;

/**
 * A contract whose schemas are built on first use, one operation at a time; `contract.op` reads like a
 * plain object's property. A container runs a few operations of the hundred the registry lists, and
 * building every schema at module load was most of a cold start's own work (README, "Performance").
 */
export function defineContract<T extends Record<string, () => OperationSchemas>>(operations: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const contract = {};
  for (const [op, build] of Object.entries(operations)) Object.defineProperty(contract, op, { enumerable: true, get: lazy(build) });
  return contract as { readonly [K in keyof T]: ReturnType<T[K]> };
}

/** Both contracts' operations in one, still built on first use (a spread would build them all). */
export const mergeContracts = <A extends Contract, B extends Contract>(a: A, b: B): A & B =>
  Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(a), ...Object.getOwnPropertyDescriptors(b) }) as A & B;
