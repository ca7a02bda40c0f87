// The local platform: the real execute handler behind a Node HTTP server that speaks API Gateway
// payload v2, a dev token issuer with its JWKS, and either DynamoDB Local + the real service handlers
// (managed) or the mock connectors. bin/local.ts is the command; tests start it the same way.
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { ConnectorBundle } from '#connectors/loader';
import { PlatformError, httpStatusFor } from '#connectors/contracts/wire';
import { createJwtAuthenticator } from '#functions/execute/auth';
import { createExecuteHandler } from '#functions/execute/runtime';
import { createInProcessConnectors, createMockConnectors } from '#functions/services/in-process';
import { createDocumentClient } from '#functions/shared/ddb';
import { createDynamoTable } from '#functions/shared/dynamo-table';
import { createLogger } from '#functions/shared/logger';
import { createDevIssuer } from './dev-issuer.ts';
import { createDevRoutes } from './dev-routes.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local.ts';
import { readBody, toApiGatewayEvent, writeResult } from './http-adapter.ts';
import { seedDemoTenant, DEMO_OWNER, DEMO_TENANT } from './seed.ts';
import { serveStatic } from './static-files.ts';
import { createTables } from './tables.ts';

export { DEMO_TENANT };
export const LOCAL_AUDIENCE = 'mozaiks-local';
/** API Gateway's own payload cap; the execute handler enforces the 1 MB API limit itself. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

export interface LocalPlatformOptions {
  /** @default 3000; 0 picks a free port */
  port?: number;
  /** Managed (DynamoDB Local + real service handlers) or mock connectors. @default true */
  managed?: boolean;
  /** Where DynamoDB Local's data, the dev key and the dev DNS file live. @default .local */
  dataDir?: string;
  /** Keep DynamoDB Local in memory (tests). @default false */
  inMemory?: boolean;
  /** Folder of the built plugin UIs. @default plugins-web/dist, else plugins-web */
  webDir?: string;
  /** How long the execute runtime trusts cached permissions and plans. @default 30 s */
  accessCacheMs?: number;
}

export interface LocalPlatform {
  url: string;
  managed: boolean;
  /** A token for the demo tenant's owner, valid one hour. */
  demoToken: string;
  stop(): Promise<void>;
}

export const sendJson = (res: ServerResponse, status: number, body: unknown) =>
  writeResult(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const managed = options.managed ?? true;
  const dataDir = resolve(options.dataDir ?? '.local');
  await mkdir(dataDir, { recursive: true });
  const dnsFile = join(dataDir, 'dev-dns.json');
  const webDir = options.webDir ?? (await readFile(resolve('plugins-web/dist/index.html')).then(() => resolve('plugins-web/dist'), () => resolve('plugins-web')));

  // DynamoDB Local first (managed mode needs Java): fail before opening a port.
  const stops: Array<() => Promise<void>> = [];
  let ddbClient: DynamoDBClient | undefined;
  if (managed) {
    const ddb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), inMemory: options.inMemory });
    stops.push(() => ddb.stop());
    ddbClient = new DynamoDBClient({ endpoint: ddb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  }

  // The server listens before the handlers exist: the issuer and checkout URLs need its port.
  let app: { execute: ReturnType<typeof createExecuteHandler>; dev: ReturnType<typeof createDevRoutes> } | undefined;
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof PlatformError) return sendJson(res, httpStatusFor(error.code), { ok: false, error: error.toWire() });
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 3000, done);
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const checkoutUrl = `${url}/dev/checkout`;

  // The real services, each over its table in DynamoDB Local (managed) or in memory (mock).
  const settings = { PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: checkoutUrl, DNS_FILE: dnsFile, TLS_CERTIFICATES: 'immediate' };
  let connectors: ConnectorBundle;
  if (ddbClient) {
    const db = createDocumentClient(ddbClient);
    const tables = await createTables(ddbClient);
    connectors = await createInProcessConnectors({ table: (name) => createDynamoTable(db, tables[name]), settings });
  } else {
    connectors = await createMockConnectors({ checkoutUrl, dnsFile });
  }

  // The issuer is this server, so the authenticator fetches the JWKS over real (loopback) HTTP.
  const issuer = createDevIssuer({ issuer: url, keyFile: join(dataDir, 'dev-issuer-key.json') });
  const execute = createExecuteHandler({
    authenticate: createJwtAuthenticator({ issuer: url, audience: [LOCAL_AUDIENCE], jwksUri: `${url}/.well-known/jwks.json`, tenantClaim: 'tenantId', rolesClaim: 'roles' }),
    connectors,
    logger: createLogger('execute'),
    accessCacheMs: options.accessCacheMs,
  });
  await seedDemoTenant(connectors, { managed });
  app = { execute, dev: createDevRoutes({ issuer, audience: LOCAL_AUDIENCE, connectors, execute, dnsFile }) };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!app) return sendJson(res, 503, { message: 'Starting' });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const read = await readBody(req, GATEWAY_BODY_LIMIT);
    if (read.tooLarge) {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { message: 'Request Entity Too Large' });
    }
    if (path.startsWith('/api/')) return writeResult(res, (await app.execute(toApiGatewayEvent(req, read.body), {} as Context)) as never);
    if (await app.dev(req, res, read.body)) return;
    if (req.method === 'GET' && (await serveStatic(webDir, path, res))) return;
    sendJson(res, 404, { message: 'Not Found' });
  }

  return {
    url,
    managed,
    demoToken: issuer.sign({ sub: DEMO_OWNER, tenantId: DEMO_TENANT, roles: ['owner'], audience: LOCAL_AUDIENCE }),
    async stop() {
      await execute.meter.flush();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      for (const stop of stops.reverse()) await stop();
    },
  };
}
