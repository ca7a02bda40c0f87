// Lambda entry of the execute runtime: typed configuration from the environment, clients at module scope.
// On AWS every service is its own function, reached over Lambda Invoke (mock mode is the local platform's).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DEFAULT_SERVICE_DEADLINE_MS } from '#connectors/base';
import { SERVICE_NAMES, functionNameEnv } from '#connectors/contracts/registry';
import { loadConnectors } from '#connectors/loader';
import { numberEnv, optionalEnv, requiredEnv } from '#functions/shared/env';
import { createLogger } from '#functions/shared/logger';
import { traced } from '#functions/shared/sdk-tracing';
import { createActionMetrics } from './action-metrics.ts';
import { createJwtAuthenticator } from './auth.ts';
import { createExecuteHandler } from './runtime.ts';

const issuer = requiredEnv('AUTH_ISSUER', 'the token issuer URL');

export const handler = createExecuteHandler({
  authenticate: createJwtAuthenticator({
    issuer,
    audience: requiredEnv('AUTH_AUDIENCE', 'accepted token audiences, comma-separated').split(',').map((a) => a.trim()),
    jwksUri: optionalEnv('AUTH_JWKS_URI', `${issuer}/.well-known/jwks.json`),
    tenantClaim: optionalEnv('AUTH_TENANT_CLAIM', 'tenantId'),
    rolesClaim: optionalEnv('AUTH_ROLES_CLAIM', 'roles'),
  }),
  connectors: loadConnectors({
    mode: 'lambda',
    client: traced(new LambdaClient({})),
    functionNames: Object.fromEntries(SERVICE_NAMES.map((name) => [name, requiredEnv(functionNameEnv(name), `the ${name} service function`)])) as Record<
      (typeof SERVICE_NAMES)[number],
      string
    >,
    // Below this function's timeout (the stack sets both), so a slow service still gets the envelope.
    deadlineMs: numberEnv('MOZAIKS_SERVICE_DEADLINE_MS', DEFAULT_SERVICE_DEADLINE_MS),
  }),
  logger: createLogger('execute'),
  metrics: createActionMetrics(optionalEnv('POWERTOOLS_METRICS_NAMESPACE', 'Mozaiks')),
  accessCacheMs: numberEnv('MOZAIKS_ACCESS_CACHE_SECONDS', 30) * 1000,
  meterFlushEvery: numberEnv('MOZAIKS_METER_FLUSH_CALLS', 25),
  meterFlushAfterMs: numberEnv('MOZAIKS_METER_FLUSH_SECONDS', 5) * 1000,
});
