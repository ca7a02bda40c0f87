// Drives the real execute handler with payload-v2 events and real RS256 tokens from a test issuer,
// without HTTP. The JWKS is served by a fetcher double, so signature checks are real.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ConnectorBundle } from '#connectors/loader';
import { createJwtAuthenticator } from '#functions/execute/auth';
import { createExecuteHandler, type ExecuteDeps } from '#functions/execute/runtime';
import { createLogger } from '#functions/shared/logger';
import { createDevIssuer } from '#local/dev-issuer';

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'mozaiks-test';

export function createHarness(connectors: ConnectorBundle, options: Partial<ExecuteDeps> = {}) {
  const issuer = createDevIssuer({ issuer: ISSUER });
  const jwksBytes = new TextEncoder().encode(JSON.stringify(issuer.jwks));
  const authenticate = createJwtAuthenticator(
    { issuer: ISSUER, audience: [AUDIENCE], jwksUri: `${ISSUER}/.well-known/jwks.json`, tenantClaim: 'tenantId', rolesClaim: 'roles' },
    { fetch: async () => jwksBytes.buffer.slice(0) as ArrayBuffer },
  );
  const handler = createExecuteHandler({ authenticate, connectors, logger: createLogger('execute-test'), ...options });

  const token = (tenantId: string, roles: string[] = ['admin'], sub = 'u1') => issuer.sign({ sub, tenantId, roles, audience: AUDIENCE });

  async function call(request: {
    method?: string;
    path: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  }): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
    const method = request.method ?? (request.body === undefined && request.rawBody === undefined ? 'GET' : 'POST');
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: '$default',
      rawPath: request.path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json', ...request.headers },
      requestContext: {
        accountId: 'test',
        apiId: 'test',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: { method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: new Date().toISOString(),
        timeEpoch: Date.now(),
      },
      body: request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
      isBase64Encoded: false,
    };
    const result = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode ?? 200, headers: result.headers ?? {}, json: JSON.parse(String(result.body)) };
  }

  return { issuer, token, call, handler };
}
