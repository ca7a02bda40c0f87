// Checks plugin actions share before they forward.
import * as z from 'zod/mini';
import type { Contract } from '#connectors/contracts/contract';
import { hasGrant, type Permission } from '#connectors/contracts/permissions';
import { SERVICES, type ServiceName } from '#connectors/contracts/registry';
import type { CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import type { Caller } from '../access.ts';
import { action, type ActionDefinition } from './types.ts';

/**
 * Runs the action only for an app of the caller's tenant: a service that merely names an app (Billing,
 * Growth) does not know apps, so Hosting answers 404 for an unknown or foreign appId first.
 * `appOf` picks the appId the input refers to (undefined: none, nothing to check).
 */
export const forOwnApp = (definition: ActionDefinition, appOf: (input: Record<string, unknown>) => unknown): ActionDefinition => ({
  ...definition,
  run: async (ctx, input, connectors, plan) => {
    const appId = appOf(input as Record<string, unknown>);
    if (typeof appId === 'string') await connectors.hosting.getApp(ctx, { appId });
    return definition.run(ctx, input, connectors, plan);
  },
});

/**
 * An action whose service decides "its author (or creator), or a moderator": whether the caller
 * moderates comes from the permissions of its stored roles, never from the body (the input schema
 * omits `moderator`, so a client that sends it gets a 400). `before` runs checks of its own first.
 */
export function moderated(
  service: ServiceName,
  op: string,
  moderation: Permission,
  { before, ...definition }: { description: string; permission: Permission; before?: (ctx: Caller, input: Record<string, unknown>, connectors: ConnectorBundle) => Promise<unknown> },
): ActionDefinition {
  const contract: Contract = SERVICES[service].contract;
  return action({
    ...definition,
    input: z.omit(contract[op]!.input as z.ZodMiniObject, { moderator: true } as never),
    run: async (ctx, input, connectors) => {
      await before?.(ctx, input as Record<string, unknown>, connectors);
      const call = (connectors[service] as unknown as Record<string, (c: CallContext, i: object) => Promise<unknown>>)[op]!;
      return call(ctx, { ...(input as object), moderator: hasGrant(ctx.permissions, moderation) });
    },
  });
}
