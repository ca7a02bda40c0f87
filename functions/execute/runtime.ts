// The execute runtime: POST /api/execute/{plugin}, GET /api/plugins, GET /api/health.
// verify the caller -> validate the body -> resolve plugin and action -> run it with the connectors.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ConnectorBundle } from '#connectors/loader';
import * as z from 'zod/mini';
import { parseOrThrow } from '#connectors/schema';
import { PlatformError, type CallContext } from '#connectors/wire';
import type { Logger } from '#functions/shared/logger';
import type { Authenticate, Principal } from './auth.ts';
import { CORRELATION_HEADER, envelope, success } from './envelope.ts';
import { PLUGINS } from './registry.ts';
import type { Plugin } from './plugins/types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Context a client might send; the runtime injects the real one from the credential. */
const IGNORED_CONTEXT_FIELDS = ['tenantId', 'userId', 'app_id', 'user_id', 'roles', '_context'];

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

export interface ExecuteDeps {
  authenticate: Authenticate;
  connectors: ConnectorBundle;
  logger: Logger;
  plugins?: ReadonlyMap<string, Plugin>;
}

const actionBody = z.looseObject({ action: z.string().check(z.minLength(1), z.maxLength(64)) });

const mayRun = (principal: Principal, roles: readonly string[] | undefined) => !roles || principal.roles.some((role) => roles.includes(role));

export function createExecuteHandler({ authenticate, connectors, logger, plugins = PLUGINS }: ExecuteDeps) {
  const callContext = async (event: Event): Promise<CallContext> => ({
    ...(await authenticate(event.headers)),
    correlationId: event.headers[CORRELATION_HEADER]!,
  });

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
    before: (request) => (request.event.body === undefined ? undefined : jsonParser.before?.(request as never)),
  };

  async function execute(event: Event): Promise<Result> {
    const ctx = await callContext(event);
    const pluginName = event.pathParameters?.plugin ?? '';
    const plugin = plugins.get(pluginName);
    if (!plugin) throw new PlatformError('NOT_FOUND', `Unknown plugin ${pluginName.slice(0, 100)}`);

    const body = parseOrThrow(actionBody, event.body, 'body');
    const { action: actionName, ...fields } = body;
    const definition = Object.hasOwn(plugin.actions, actionName) ? plugin.actions[actionName] : undefined;
    if (!definition) {
      const valid = Object.keys(plugin.actions);
      throw new PlatformError('VALIDATION_FAILED', `action: unknown action ${actionName.slice(0, 64)}; valid actions are ${valid.join(', ')}`, {
        issues: [{ field: 'action', message: `expected one of ${valid.join(', ')}` }],
      });
    }
    if (!mayRun(ctx, definition.roles)) throw new PlatformError('FORBIDDEN', `${actionName} needs role ${definition.roles!.join(' or ')}`);
    for (const field of IGNORED_CONTEXT_FIELDS) delete fields[field];
    const input = parseOrThrow(definition.input, fields);

    const data = await definition.run(ctx, input, connectors);
    logger.info('action done', { correlationId: ctx.correlationId, plugin: pluginName, action: actionName, tenantId: ctx.tenantId });
    return success(data, ctx.correlationId);
  }

  async function listPlugins(event: Event): Promise<Result> {
    const ctx = await callContext(event);
    const manifest = [...plugins.values()].map((plugin) => ({
      name: plugin.name,
      actions: Object.entries(plugin.actions)
        .filter(([, definition]) => mayRun(ctx, definition.roles))
        .map(([name, definition]) => ({ name, description: definition.description })),
    }));
    return success({ plugins: manifest }, ctx.correlationId);
  }

  const health = async (event: Event): Promise<Result> => success({ status: 'ok' }, event.headers[CORRELATION_HEADER]!);

  return middy<Event, Result>()
    .use(httpHeaderNormalizer())
    .use(envelope(logger))
    .use(rejectLargeBodies)
    .use(jsonBodies)
    .handler(
      httpRouterHandler<Event, Result>([
        { method: 'GET', path: '/api/health', handler: health },
        { method: 'GET', path: '/api/plugins', handler: listPlugins },
        {
          method: 'POST',
          path: '/api/execute/{plugin}',
          handler: execute,
        },
      ]),
    );
}
