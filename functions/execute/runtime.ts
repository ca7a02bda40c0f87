// The execute runtime: POST /api/execute/{plugin}, GET /api/plugins, GET /api/health.
// identify the caller -> validate the body -> resolve plugin and action -> permission, plan feature,
// quota -> run it with the connectors -> count it.
import { setTimeout as sleep } from 'node:timers/promises';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { hasGrant } from '#connectors/contracts/permissions';
import type { ConnectorBundle } from '#connectors/loader';
import { parseOrThrow } from '#connectors/contracts/schema';
import { PlatformError, systemContext } from '#connectors/contracts/wire';
import type { Logger } from '#functions/shared/logger';
import { createAccessControl, type Caller, type TenantPlan } from './access.ts';
import { bearerToken, type Authenticate } from './auth.ts';
import { BILLING_WEBHOOK_PATH, createBillingWebhook, keepsRawBody } from './billing-webhook.ts';
import type { ActionMetrics } from './action-metrics.ts';
import { correlationIdFrom, envelope, respond, success } from './envelope.ts';
import { createUsageMeter } from './metering.ts';
import { PLUGINS, type PluginLoader } from './registry.ts';
import type { ActionDefinition } from './plugins/types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
export const APP_KEY_HEADER = 'x-mozaiks-app-key';
/**
 * Context a client might send; the runtime injects the real one from the credential. A field an
 * action declares as its own input (admin's `userId` and `roles` name the *target* user) is kept.
 */
const IGNORED_CONTEXT_FIELDS = ['tenantId', 'userId', 'app_id', 'user_id', 'roles', '_context'];
const declaredFields = (schema: z.ZodMiniType): string[] => Object.keys((schema as { shape?: object }).shape ?? {});

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

export interface ExecuteDeps {
  authenticate: Authenticate;
  connectors: ConnectorBundle;
  logger: Logger;
  /** Plugin name -> its module's loader. @default PLUGINS */
  plugins?: ReadonlyMap<string, PluginLoader>;
  /** How long a container trusts cached permissions and plans. @default 30000 */
  accessCacheMs?: number;
  /** Metering batch: flush after this many calls or this age. @default 25 calls / 5000 ms */
  meterFlushEvery?: number;
  meterFlushAfterMs?: number;
  now?: () => number;
  /**
   * What `/api/health` checks, by name (e.g. the local platform's DynamoDB): each resolves when the
   * dependency is up and rejects when it is down. None: health only says the runtime answers.
   */
  dependencies?: Readonly<Record<string, () => Promise<unknown>>>;
  /** Where each action's count, outcome and latency go (on AWS: CloudWatch EMF). @default none */
  metrics?: ActionMetrics;
}

/** How long /api/health waits for one dependency before calling it down. */
const HEALTH_CHECK_MS = 2000;

const actionBody = z.looseObject({ action: z.string().check(z.minLength(1), z.maxLength(64)) });

/** Why an action is closed to the caller, or undefined if it is open (one rule for execute and the manifest). */
function refusal(caller: Caller, plan: TenantPlan, name: string, definition: ActionDefinition): PlatformError | undefined {
  if (!hasGrant(caller.permissions, definition.permission)) {
    return new PlatformError('FORBIDDEN', `${name} needs the ${definition.permission} permission`);
  }
  if (definition.feature && !plan.features.includes(definition.feature)) {
    return new PlatformError('FEATURE_NOT_IN_PLAN', `Your plan "${plan.plan}" does not include ${definition.feature}; upgrade to use ${name}`, {
      feature: definition.feature,
      plan: plan.plan,
    });
  }
  return undefined;
}

export function createExecuteHandler(deps: ExecuteDeps) {
  const { authenticate, connectors, logger, plugins = PLUGINS, now = Date.now } = deps;
  const accessCacheMs = deps.accessCacheMs ?? 30_000;
  const access = createAccessControl(connectors, { ttlMs: accessCacheMs, now });
  const meter = createUsageMeter({
    snapshotMaxAgeMs: accessCacheMs,
    emit: (tenantId, amount) =>
      connectors.billing.emit('recordUsage', systemContext(tenantId, 'metering', `meter-${now()}`), { metric: 'api_calls', amount }),
    flushEvery: deps.meterFlushEvery,
    flushAfterMs: deps.meterFlushAfterMs,
    now,
  });

  /**
   * The caller from an app key (a tenant's managed runtime) or a user's bearer token, and the tenant's
   * plan. With a token the tenant is known before Identity answers, so Identity (the caller's
   * permissions) and Billing (the plan) are asked at once: a cold container makes two sequential round
   * trips before the action (this pair, then the action), not three.
   */
  async function identify(event: Event, correlationId: string): Promise<{ caller: Caller; plan: Promise<TenantPlan> }> {
    const appKey = event.headers[APP_KEY_HEADER];
    if (appKey) {
      const caller = await access.appKeyCaller(appKey, correlationId);
      return { caller, plan: access.plan(caller.tenantId, correlationId) };
    }
    const identity = await authenticate(bearerToken(event.headers.authorization));
    const plan = access.plan(identity.tenantId, correlationId);
    plan.catch(() => undefined); // awaited by the caller; this only keeps an early failure from going unhandled
    return { caller: await access.userCaller(identity, correlationId), plan };
  }

  function assertWithinQuota(caller: Caller, plan: TenantPlan): void {
    const limit = plan.limits.api_calls;
    if (limit === null) return;
    const used = plan.usage.api_calls + meter.countedSince(caller.tenantId, plan.fetchedAt);
    if (used >= limit) {
      throw new PlatformError('QUOTA_EXCEEDED', `Your plan "${plan.plan}" allows ${limit} api_calls a month; the quota resets at ${plan.periodEnd}`, {
        metric: 'api_calls',
        limit,
        resetAt: plan.periodEnd,
      });
    }
  }

  const rejectLargeBodies: middy.MiddlewareObj<Event, Result> = {
    before: ({ event }) => {
      const bytes = event.body === undefined ? 0 : Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (bytes > MAX_BODY_BYTES) throw new PlatformError('PAYLOAD_TOO_LARGE', `The body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`);
    },
  };

  // Without a JSON content type the body stays a string and fails validation with a clear message;
  // bodiless requests (GET) skip parsing whatever their content type says.
  const jsonParser = httpJsonBodyParser({ disableContentTypeError: true });
  const jsonBodies: middy.MiddlewareObj<Event, Result> = {
    before: (request) => (request.event.body === undefined || keepsRawBody(request.event) ? undefined : jsonParser.before?.(request as never)),
  };

  async function execute(event: Event, context: Context): Promise<Result> {
    const pluginName = event.pathParameters?.plugin ?? '';
    // A cold container loads the plugin's module while Identity and Billing answer (registry.ts).
    const pluginLoad = plugins.get(pluginName)?.();
    pluginLoad?.catch(() => undefined); // awaited below, after the caller is known
    const { caller, plan: tenantPlan } = await identify(event, correlationIdFrom(context));
    const plugin = await pluginLoad;
    if (!plugin) throw new PlatformError('NOT_FOUND', `Unknown plugin ${pluginName.slice(0, 100)}`);

    const { action: actionName, ...fields } = parseOrThrow(actionBody, event.body, 'body');
    const definition = Object.hasOwn(plugin.actions, actionName) ? plugin.actions[actionName] : undefined;
    if (!definition) {
      const valid = Object.keys(plugin.actions);
      throw new PlatformError('VALIDATION_FAILED', `action: unknown action ${actionName.slice(0, 64)}; valid actions are ${valid.join(', ')}`, {
        issues: [{ field: 'action', message: `expected one of ${valid.join(', ')}` }],
      });
    }
    // Known plugin and action only: names from the client never become metric dimensions.
    const started = now();
    let outcome = 'ok';
    try {
      const declared = declaredFields(definition.input);
      for (const field of IGNORED_CONTEXT_FIELDS) if (!declared.includes(field)) delete fields[field];
      const input = parseOrThrow(definition.input, fields);

      const plan = await tenantPlan;
      const refused = refusal(caller, plan, actionName, definition);
      if (refused) throw refused;
      if (!definition.unmetered) assertWithinQuota(caller, plan);

      const data = await definition.run(caller, input, connectors, plan);
      for (const kind of definition.invalidates ?? []) access.invalidate(caller.tenantId, kind);
      if (!definition.unmetered) await meter.record(caller.tenantId);
      // Debug only: on AWS the action's EMF metrics line already says this (and log bytes are a cost per action).
      logger.debug('action done', { correlationId: caller.correlationId, plugin: pluginName, action: actionName, tenantId: caller.tenantId });
      return success(data, caller.correlationId);
    } catch (error) {
      outcome = error instanceof PlatformError ? error.code : 'INTERNAL';
      throw error;
    } finally {
      deps.metrics?.record({ plugin: pluginName, action: actionName, tenantId: caller.tenantId, correlationId: caller.correlationId, outcome, latencyMs: now() - started });
    }
  }

  async function listPlugins(event: Event, context: Context): Promise<Result> {
    const { caller, plan: tenantPlan } = await identify(event, correlationIdFrom(context));
    const plan = await tenantPlan;
    const manifest = (await Promise.all([...plugins.values()].map((load) => load())))
      .map((plugin) => ({
        name: plugin.name,
        actions: Object.entries(plugin.actions)
          .filter(([name, definition]) => !refusal(caller, plan, name, definition))
          .map(([name, definition]) => ({ name, description: definition.description, permission: definition.permission, feature: definition.feature })),
      }))
      .filter((plugin) => plugin.actions.length > 0);
    return success({ plan: plan.plan, plugins: manifest }, caller.correlationId);
  }

  async function health(_event: Event, context: Context): Promise<Result> {
    const correlationId = correlationIdFrom(context);
    const checks = Object.entries(deps.dependencies ?? {});
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        const up = await Promise.race([check().then(() => true), sleep(HEALTH_CHECK_MS, undefined, { ref: false }).then(() => false)]).catch(() => false);
        return [name, up ? 'up' : 'down'] as const;
      }),
    );
    const dependencies = Object.fromEntries(results);
    const down = results.filter(([, state]) => state === 'down').map(([name]) => name);
    if (down.length === 0) return success({ status: 'ok', dependencies }, correlationId);
    const error = new PlatformError('UPSTREAM_UNAVAILABLE', `Degraded: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down`, {
      status: 'degraded',
      dependencies,
    });
    return respond(503, { ok: false, error: error.toWire() }, correlationId);
  }

  const handler = middy<Event, Result>()
    .use(httpHeaderNormalizer())
    .use(envelope(logger))
    .use(rejectLargeBodies)
    .use(jsonBodies)
    .handler(
      httpRouterHandler<Event, Result>([
        { method: 'GET', path: '/api/health', handler: health },
        { method: 'GET', path: '/api/plugins', handler: listPlugins },
        { method: 'POST', path: '/api/execute/{plugin}', handler: execute },
        { method: 'POST', path: BILLING_WEBHOOK_PATH, handler: createBillingWebhook(connectors) },
      ]),
    );
  // The local platform's dev endpoints reach the caches and the meter through these.
  return Object.assign(handler, { access, meter });
}
