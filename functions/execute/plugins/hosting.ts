// moz.platform.hosting: every Hosting action of SERVICES.md. Each validates with the contract's own
// input schema (so a bad field fails at the edge) and forwards to the Hosting connector. Plan limits
// are never taken from the client: the schemas omit them and the runtime's plan supplies them.
import * as z from 'zod/mini';
import { hostingContract as contract } from '#connectors/contracts/hosting';
import { action, forwarder, type Plugin } from './types.ts';

const forward = forwarder('hosting');

export const hostingPlugin: Plugin = {
  name: 'moz.platform.hosting',
  actions: {
    list_apps: forward('listApps', 'List your apps (archived ones with status: "archived")', 'read:hosting'),
    get_app: forward('getApp', 'One app by appId', 'read:hosting'),
    create_app: action({
      description: 'Create an app in draft; slug is unique in your tenant; the number of apps is limited by plan',
      permission: 'manage:hosting',
      input: z.omit(contract.createApp.input, { maxApps: true }),
      run: (ctx, input, { hosting }, plan) => hosting.createApp(ctx, { ...input, maxApps: plan.limits.apps }),
    }),
    update_app: forward('updateApp', 'Change name or description', 'manage:hosting'),
    pause_app: forward('pauseApp', 'Pause a live app', 'manage:hosting'),
    resume_app: forward('resumeApp', 'Resume a paused app', 'manage:hosting'),
    delete_app: forward('deleteApp', 'Archive an app; restorable for 30 days', 'manage:hosting'),
    restore_app: action({
      description: 'Restore an archived app to its previous status (counts against the app limit again)',
      permission: 'manage:hosting',
      input: z.omit(contract.restoreApp.input, { maxApps: true }),
      run: (ctx, input, { hosting }, plan) => hosting.restoreApp(ctx, { ...input, maxApps: plan.limits.apps }),
    }),
    get_lifecycle: forward('getLifecycle', 'Status and the actions it allows', 'read:hosting'),
    deploy: forward('createDeployment', 'Queue a deployment (one active per app)', 'manage:hosting'),
    list_deployments: forward('listDeployments', 'Deployments of an app, newest first', 'read:hosting'),
    get_deployment: forward('getDeployment', 'One deployment', 'read:hosting'),
    report_deployment_status: forward('reportDeploymentStatus', "The build system's progress report (app key)", 'report:hosting'),
    add_domain: action({
      description: 'Attach a custom domain; returns the TXT record to publish; the number of domains is limited by plan',
      permission: 'manage:hosting',
      feature: 'custom_domains',
      input: z.omit(contract.addDomain.input, { maxDomains: true }),
      run: (ctx, input, { hosting }, plan) => hosting.addDomain(ctx, { ...input, maxDomains: plan.limits.domains }),
    }),
    verify_domain: forward('verifyDomain', 'Check the TXT record and start TLS', 'manage:hosting', { feature: 'custom_domains' }),
    list_domains: forward('listDomains', 'Domains of an app', 'read:hosting'),
    // Removing stays possible after a downgrade, so a tenant can always clean up.
    remove_domain: forward('removeDomain', 'Detach a domain and release its name', 'manage:hosting'),
  },
};
