// Lambda entry of the execute runtime: typed configuration from the environment, clients at module scope.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadConnectors } from '#connectors/loader';
import { optionalEnv, requiredEnv } from '#functions/shared/env';
import { createLogger } from '#functions/shared/logger';
import { createJwtAuthenticator } from './auth.ts';
import { createExecuteHandler } from './runtime.ts';

const issuer = requiredEnv('AUTH_ISSUER', 'the token issuer URL');
const managed = optionalEnv('MOZAIKS_MANAGED', 'true') !== 'false';

export const handler = createExecuteHandler({
  authenticate: createJwtAuthenticator({
    issuer,
    audience: requiredEnv('AUTH_AUDIENCE', 'accepted token audiences, comma-separated').split(',').map((a) => a.trim()),
    jwksUri: optionalEnv('AUTH_JWKS_URI', `${issuer}/.well-known/jwks.json`),
    tenantClaim: optionalEnv('AUTH_TENANT_CLAIM', 'tenantId'),
    rolesClaim: optionalEnv('AUTH_ROLES_CLAIM', 'roles'),
  }),
  connectors: managed
    ? loadConnectors({
        mode: 'lambda',
        client: new LambdaClient({}),
        functionNames: { hosting: requiredEnv('HOSTING_FUNCTION_NAME', 'the Hosting service function') },
      })
    : loadConnectors({ mode: 'mock' }),
  logger: createLogger('execute'),
});
