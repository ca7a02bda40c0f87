// moz.platform.hosting: every Hosting action of SERVICES.md. Each validates with the contract's own
// input schema (so a bad field fails at the edge) and forwards to the Hosting connector. Plan limits
// are never taken from the client: the schemas omit them and the runtime's plan supplies them.
import * as z from 'zod/mini';
import { hostingContract as contract } from '#connectors/contracts/hosting';
import type { LimitName } from '#connectors/contracts/plans';
import { conflict, type CallContext } from '#connectors/contracts/wire';
import { action, forwarder, type ActionDefinition, type Plugin } from './types.ts';

const forward = forwarder('hosting');

/** The operations that take a plan limit, which field carries it, and which limit of the plan it is. */
const LIMITED = { createApp: ['maxApps', 'apps'], restoreApp: ['maxApps', 'apps'], addDomain: ['maxDomains', 'domains'] } as const;

/** Forwards with the plan's limit filled in by the runtime: the input omits the field, so a client cannot set it. */
function withPlanLimit(op: keyof typeof LIMITED, description: string, extra: Partial<ActionDefinition> = {}): ActionDefinition {
  const [field, limit]: readonly [string, LimitName] = LIMITED[op];
  return action({
    description,
    permission: 'manage:hosting',
    input: z.omit(contract[op].input, { [field]: true } as never),
    run: (ctx, input, { hosting }, plan) =>
      (hosting[op] as (c: CallContext, i: object) => Promise<unknown>)(ctx, { ...(input as object), [field]: plan.limits[limit] }),
    ...extra,
  });
}

export const hostingPlugin: Plugin = {
  name: 'moz.platform.hosting',
  actions: {
    list_apps: forward('listApps', 'List your apps (archived ones with status: "archived")', 'read:hosting'),
    get_app: forward('getApp', 'One app by appId', 'read:hosting'),
    create_app: withPlanLimit('createApp', 'Create an app in draft; slug is unique in your tenant; the number of apps is limited by plan'),
    update_app: forward('updateApp', 'Change name or description', 'manage:hosting'),
    pause_app: forward('pauseApp', 'Pause a live app', 'manage:hosting'),
    resume_app: forward('resumeApp', 'Resume a paused app', 'manage:hosting'),
    delete_app: action({
      description: 'Archive an app; restorable for 30 days (refused while it has an open funding round)',
      permission: 'manage:hosting',
      input: contract.deleteApp.input,
      run: async (ctx, input, { hosting, funding }) => {
        // Not one transaction with open_round's "app not archived" check: README, "Deleting an app with an open round".
        if ((await funding.hasOpenRound(ctx, { appId: input.appId })).open) {
          throw conflict('This app has an open funding round; close or cancel it first', { appId: input.appId });
        }
        return hosting.deleteApp(ctx, input);
      },
    }),
    restore_app: withPlanLimit('restoreApp', 'Restore an archived app to its previous status (counts against the app limit again)'),
    get_lifecycle: forward('getLifecycle', 'Status and the actions it allows', 'read:hosting'),
    deploy: forward('createDeployment', 'Queue a deployment (one active per app)', 'manage:hosting'),
    list_deployments: forward('listDeployments', 'Deployments of an app, newest first', 'read:hosting'),
    get_deployment: forward('getDeployment', 'One deployment', 'read:hosting'),
    report_deployment_status: forward('reportDeploymentStatus', "The build system's progress report (app key)", 'report:hosting'),
    add_domain: withPlanLimit('addDomain', 'Attach a custom domain; returns the TXT record to publish; the number of domains is limited by plan', {
      feature: 'custom_domains',
    }),
    verify_domain: forward('verifyDomain', 'Check the TXT record and start TLS', 'manage:hosting', { feature: 'custom_domains' }),
    list_domains: forward('listDomains', 'Domains of an app', 'read:hosting'),
    // Removing stays possible after a downgrade, so a tenant can always clean up.
    remove_domain: forward('removeDomain', 'Detach a domain and release its name', 'manage:hosting'),
  },
};
