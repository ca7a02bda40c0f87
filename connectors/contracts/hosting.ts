// The Hosting wire contract: one input and one output schema per operation, shared by the
// managed connector (validates what comes back) and the Hosting service (validates what comes in).
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput, webUrl } from './schema.ts';

export const APP_STATUSES = ['draft', 'building', 'preview', 'provisioning', 'live', 'paused', 'archived'] as const;
export const DEPLOYMENT_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export const DOMAIN_STATUSES = ['pending_verification', 'verified', 'failed'] as const;
export const TLS_STATUSES = ['pending', 'issuing', 'active', 'failed'] as const;

export type AppStatus = (typeof APP_STATUSES)[number];
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

const name = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const slug = () =>
  z.string().check(z.trim(), z.toLowerCase(), z.minLength(3), z.maxLength(48), z.regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and inner hyphens'));
const description = () => z.string().check(z.maxLength(2000));
// RFC 1123 host name with at least two labels, lower-cased before the check.
const domainName = () =>
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(253),
    z.regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as app.example.com'),
  );

export const app = lazy(() => z.object({
  appId: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  status: z.enum(APP_STATUSES),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  version: z.int(),
  activeDeploymentId: z.optional(z.string()),
  hardDeleteAt: z.optional(isoTime()),
}));
export type App = z.output<ReturnType<typeof app>>;

export const deployment = lazy(() => z.object({
  deploymentId: z.string(),
  appId: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  trigger: z.string(),
  requestedBy: z.string(),
  sourceRef: z.string(),
  url: z.optional(z.string()),
  error: z.optional(z.string()),
  createdAt: isoTime(),
  startedAt: z.optional(isoTime()),
  finishedAt: z.optional(isoTime()),
}));
export type Deployment = z.output<ReturnType<typeof deployment>>;

export const domain = lazy(() => z.object({
  domain: z.string(),
  appId: z.string(),
  status: z.enum(DOMAIN_STATUSES),
  verificationRecord: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }),
  tls: z.object({ status: z.enum(TLS_STATUSES), expiresAt: z.optional(isoTime()) }),
  createdAt: isoTime(),
  verifiedAt: z.optional(isoTime()),
}));
export type Domain = z.output<ReturnType<typeof domain>>;

const appRef = { appId: id() };
/**
 * Plan limits, set by the execute runtime from the tenant's plan (never by a client: the plugin's
 * input schemas omit them). Absent or null = unlimited.
 */
const maxApps = { maxApps: z.optional(z.nullable(z.int().check(z.minimum(0)))) };
const maxDomains = { maxDomains: z.optional(z.nullable(z.int().check(z.minimum(0)))) };
const versioned = { expectedVersion: z.optional(z.int().check(z.minimum(1))) };

export const lifecycle = lazy(() => z.object({
  appId: z.string(),
  status: z.enum(APP_STATUSES),
  allowedActions: z.array(z.string()),
  hardDeleteAt: z.optional(isoTime()),
}));

/** Every Hosting operation: its input (what callers send) and output (what they get back). */
export const hostingContract = defineContract({
  listApps: () => ({ input: z.strictObject({ ...pageInput, status: z.optional(z.enum(APP_STATUSES)) }), output: page(app()) }),
  getApp: () => ({ input: z.strictObject(appRef), output: app() }),
  createApp: () => ({
    input: z.strictObject({ name: name(), slug: slug(), description: z._default(description(), ''), ...maxApps }),
    output: app(),
  }),
  updateApp: () => ({
    input: z.strictObject({ ...appRef, ...versioned, name: z.optional(name()), description: z.optional(description()) }),
    output: app(),
  }),
  pauseApp: () => ({ input: z.strictObject({ ...appRef, ...versioned }), output: app() }),
  resumeApp: () => ({ input: z.strictObject({ ...appRef, ...versioned }), output: app() }),
  deleteApp: () => ({ input: z.strictObject({ ...appRef, ...versioned }), output: app() }),
  restoreApp: () => ({ input: z.strictObject({ ...appRef, ...maxApps }), output: app() }),
  getLifecycle: () => ({ input: z.strictObject(appRef), output: lifecycle() }),
  createDeployment: () => ({
    input: z.strictObject({
      ...appRef,
      sourceRef: z._default(z.string().check(z.minLength(1), z.maxLength(200)), 'main'),
      trigger: z._default(z.enum(['manual', 'push', 'api']), 'manual'),
    }),
    output: deployment(),
  }),
  listDeployments: () => ({ input: z.strictObject({ ...appRef, ...pageInput }), output: page(deployment()) }),
  getDeployment: () => ({ input: z.strictObject({ ...appRef, deploymentId: id() }), output: deployment() }),
  reportDeploymentStatus: () => ({
    input: z.strictObject({
      ...appRef,
      deploymentId: id(),
      status: z.enum(['running', 'succeeded', 'failed', 'canceled']),
      // The build system's progress through the app lifecycle while running.
      stage: z.optional(z.enum(['building', 'preview', 'provisioning'])),
      url: z.optional(webUrl()),
      error: z.optional(z.string().check(z.maxLength(2000))),
    }),
    output: deployment(),
  }),
  addDomain: () => ({ input: z.strictObject({ ...appRef, domain: domainName(), ...maxDomains }), output: domain() }),
  verifyDomain: () => ({ input: z.strictObject({ ...appRef, domain: domainName() }), output: domain() }),
  listDomains: () => ({ input: z.strictObject({ ...appRef, ...pageInput }), output: page(domain()) }),
  removeDomain: () => ({ input: z.strictObject({ ...appRef, domain: domainName() }), output: z.object({ removed: z.literal(true), domain: z.string() }) }),
  /** What counts against the plan: apps that are not archived, and domains. */
  getCounts: () => ({ input: z.strictObject({}), output: z.object({ apps: z.int(), domains: z.int() }) }),
  /** The dashboard's one call: the newest apps that are not archived, each with its latest deployments, and the counts. */
  getOverview: () => ({
    input: z.strictObject({
      apps: z._default(z.int().check(z.minimum(1), z.maximum(20)), 10),
      deploymentsPerApp: z._default(z.int().check(z.minimum(1), z.maximum(5)), 3),
    }),
    output: z.object({
      apps: z.array(z.object({ ...app().shape, recentDeployments: z.array(deployment()) })),
      counts: z.object({ apps: z.int(), domains: z.int() }),
    }),
  }),
});

export type HostingContract = typeof hostingContract;
