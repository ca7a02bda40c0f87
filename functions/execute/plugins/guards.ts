// Checks plugin actions share before they forward.
import type { ActionDefinition } from './types.ts';

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
