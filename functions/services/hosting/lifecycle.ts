// The app lifecycle (SERVICES.md, Hosting): which status may follow which, and which state-dependent
// actions each status allows. Operations consult this; nothing else decides a transition.
import type { App, AppStatus } from '#connectors/contracts/hosting';
import { conflict } from '#connectors/contracts/wire';

/** The build pipeline an app walks through before it is first live. */
export const PIPELINE: readonly AppStatus[] = ['draft', 'building', 'preview', 'provisioning', 'live'];

const TRANSITIONS: Record<AppStatus, readonly AppStatus[]> = {
  draft: ['building', 'archived'],
  building: ['preview', 'provisioning', 'live', 'draft', 'archived'],
  preview: ['provisioning', 'live', 'draft', 'archived'],
  provisioning: ['live', 'draft', 'archived'],
  live: ['paused', 'archived'],
  paused: ['live', 'archived'],
  // Restoring returns to the status held before archiving.
  archived: ['draft', 'building', 'preview', 'provisioning', 'live', 'paused'],
};

const DOMAIN_ACTIONS = ['add_domain', 'verify_domain', 'remove_domain'];
const ACTIONS_BY_STATUS: Record<AppStatus, readonly string[]> = {
  draft: ['update_app', 'deploy', 'delete_app', ...DOMAIN_ACTIONS],
  building: ['update_app', 'deploy', 'delete_app', ...DOMAIN_ACTIONS],
  preview: ['update_app', 'deploy', 'delete_app', ...DOMAIN_ACTIONS],
  provisioning: ['update_app', 'deploy', 'delete_app', ...DOMAIN_ACTIONS],
  live: ['update_app', 'deploy', 'pause_app', 'delete_app', ...DOMAIN_ACTIONS],
  paused: ['update_app', 'resume_app', 'delete_app', ...DOMAIN_ACTIONS],
  // An archived app can still let go of its domains, so a name is never held by a deleted app.
  archived: ['restore_app', 'remove_domain'],
};

/** State-dependent plugin actions the app allows now (deploy also needs no active deployment). */
export function allowedActions(app: Pick<App, 'status' | 'activeDeploymentId'>): string[] {
  return ACTIONS_BY_STATUS[app.status].filter((action) => action !== 'deploy' || !app.activeDeploymentId);
}

export function assertAllows(app: Pick<App, 'status' | 'activeDeploymentId' | 'appId'>, action: string): void {
  if (!allowedActions(app).includes(action)) {
    const reason = action === 'deploy' && app.activeDeploymentId ? ` while deployment ${app.activeDeploymentId} is active` : ` when the app is ${app.status}`;
    throw conflict(`${action} is not allowed${reason}`, { status: app.status, allowedActions: allowedActions(app) });
  }
}

export function assertTransition(from: AppStatus, to: AppStatus): void {
  if (!TRANSITIONS[from].includes(to)) throw conflict(`An app cannot move from ${from} to ${to}`);
}

/** While an app walks the pipeline, a reported stage only ever moves it forward. */
export function isPipelineAdvance(from: AppStatus, to: AppStatus): boolean {
  const a = PIPELINE.indexOf(from);
  const b = PIPELINE.indexOf(to);
  return a >= 0 && a < PIPELINE.indexOf('live') && b > a;
}

const DEPLOYMENT_NEXT: Record<string, readonly string[]> = {
  queued: ['running', 'succeeded', 'failed', 'canceled'],
  running: ['running', 'succeeded', 'failed', 'canceled'],
  succeeded: [],
  failed: [],
  canceled: [],
};

/** Deployments only move forward; `running -> running` carries a new stage. */
export function assertDeploymentTransition(from: string, to: string): void {
  if (!DEPLOYMENT_NEXT[from]?.includes(to)) throw conflict(`A deployment cannot move from ${from} to ${to}`);
}

export const isTerminal = (status: string): boolean => DEPLOYMENT_NEXT[status]?.length === 0;
