// moz.platform.hosting: every Hosting action of SERVICES.md. Each validates with the contract's own
// input schema (so a bad field fails at the edge) and forwards to the Hosting connector.
import { hostingContract, type HostingContract } from '#connectors/hosting/contract';
import { action, type ActionDefinition, type Plugin } from './types.ts';

const forward = <K extends keyof HostingContract>(op: K, description: string, extra: Partial<ActionDefinition> = {}) =>
  action({
    description,
    input: hostingContract[op].input,
    run: (ctx, input, { hosting }) => (hosting[op] as (c: typeof ctx, i: unknown) => Promise<unknown>)(ctx, input),
    ...extra,
  });

export const hostingPlugin: Plugin = {
  name: 'moz.platform.hosting',
  actions: {
    list_apps: forward('listApps', 'List your apps (archived ones with status: "archived")'),
    get_app: forward('getApp', 'One app by appId'),
    create_app: forward('createApp', 'Create an app in draft; slug is unique in your tenant'),
    update_app: forward('updateApp', 'Change name or description'),
    pause_app: forward('pauseApp', 'Pause a live app'),
    resume_app: forward('resumeApp', 'Resume a paused app'),
    delete_app: forward('deleteApp', 'Archive an app; restorable for 30 days'),
    restore_app: forward('restoreApp', 'Restore an archived app to its previous status'),
    get_lifecycle: forward('getLifecycle', 'Status and the actions it allows'),
    deploy: forward('createDeployment', 'Queue a deployment (one active per app)'),
    list_deployments: forward('listDeployments', 'Deployments of an app, newest first'),
    get_deployment: forward('getDeployment', 'One deployment'),
    // Until app API keys exist, the build system is any principal holding role `app`.
    report_deployment_status: forward('reportDeploymentStatus', 'Build system progress report (role app)', { roles: ['app'] }),
    add_domain: forward('addDomain', 'Attach a custom domain; returns the TXT record to publish'),
    verify_domain: forward('verifyDomain', 'Check the TXT record and start TLS'),
    list_domains: forward('listDomains', 'Domains of an app'),
    remove_domain: forward('removeDomain', 'Detach a domain and release its name'),
  },
};
