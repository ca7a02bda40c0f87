// What a plugin is: a named set of actions, each with its input schema, the permission and plan
// feature it needs, and the function that runs it.
import type * as z from 'zod/mini';
import type { Feature } from '#connectors/contracts/plans';
import type { Permission } from '#connectors/contracts/permissions';
import type { Contract } from '#connectors/contracts/contract';
import { SERVICES, type ServiceName, type Services } from '#connectors/contracts/registry';
import type { ConnectorBundle } from '#connectors/loader';
import type { CallContext } from '#connectors/contracts/wire';
import type { CacheKind, Caller, TenantPlan } from '../access.ts';

export interface ActionDefinition<S extends z.ZodMiniType = z.ZodMiniType> {
  readonly description: string;
  readonly input: S;
  /** Checked against the caller's stored roles before the action runs (403 without it). */
  readonly permission: Permission;
  /** Plan feature the action needs (402 without it). */
  readonly feature?: Feature;
  /**
   * Neither counted as an api_call nor refused by the monthly quota: the actions a tenant over its
   * quota needs to see its usage and upgrade (a 429 there would leave no way out).
   */
  readonly unmetered?: boolean;
  /** Cached access data the action changes; the runtime forgets this container's copy after success. */
  readonly invalidates?: readonly CacheKind[];
  /** `ctx` is the verified caller, with the permissions of its stored roles. */
  readonly run: (ctx: Caller, input: z.output<S>, connectors: ConnectorBundle, plan: TenantPlan) => Promise<unknown>;
}

export interface Plugin {
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionDefinition>>;
}

/** Keeps each action's `run` typed against its own schema while the registry stores them uniformly. */
export const action = <S extends z.ZodMiniType>(definition: ActionDefinition<S>): ActionDefinition =>
  definition as unknown as ActionDefinition;

/**
 * Actions that validate with a service operation's own input schema and forward to that operation:
 * most plugin actions are exactly this. The contract is the registry's, so it cannot be another service's.
 */
export function forwarder<S extends ServiceName>(service: S) {
  const contract: Contract = SERVICES[service].contract;
  return <K extends keyof Services[S]['contract'] & string>(op: K, description: string, permission: Permission, extra: Partial<ActionDefinition> = {}) =>
    action({
      description,
      permission,
      input: contract[op]!.input,
      run: (ctx, input, connectors) => (connectors[service] as unknown as Record<string, (c: CallContext, i: unknown) => Promise<unknown>>)[op]!(ctx, input),
      ...extra,
    });
}
