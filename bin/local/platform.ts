// The local platform: the real execute handler behind a Node HTTP server that speaks API Gateway
// payload v2, a dev token issuer with its JWKS, and either DynamoDB Local + the real service handlers
// (managed) or the mock connectors. bin/local.ts is the command; tests start it the same way.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { inProcessTransport } from '#connectors/base';
import { loadConnectors, type ConnectorBundle, type ServiceKey } from '#connectors/loader';
import * as z from 'zod/mini';
import { parseOrThrow } from '#connectors/schema';
import { PlatformError, httpStatusFor, type CallContext } from '#connectors/wire';
import { createJwtAuthenticator } from '#functions/execute/auth';
import { createExecuteHandler } from '#functions/execute/runtime';
import { fileDns } from '#functions/services/hosting/dns';
import type { CertificateIssuer } from '#functions/services/hosting/operations';
import { createDocumentClient } from '#functions/shared/ddb';
import { createLogger } from '#functions/shared/logger';
import { createDevIssuer, devTokenRequestSchema } from './dev-issuer.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local.ts';
import { readBody, toApiGatewayEvent, writeResult } from './http-adapter.ts';
import { LOCAL_SERVICES } from './services.ts';
import { serveStatic } from './static-files.ts';
import { createTables } from './tables.ts';

export const LOCAL_AUDIENCE = 'mozaiks-local';
export const DEMO_TENANT = 'demo';
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
}

export interface LocalPlatform {
  url: string;
  managed: boolean;
  /** A token for the demo tenant's owner, valid one hour. */
  demoToken: string;
  stop(): Promise<void>;
}

const devDnsSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(253)),
  values: z.array(z.string().check(z.maxLength(255))),
});

// Locally there is no edge to configure: a verified domain gets a certificate at once.
const localCertificates: CertificateIssuer = {
  request: async () => ({ status: 'active', expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }),
};

const json = (res: ServerResponse, status: number, body: unknown) => writeResult(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const managed = options.managed ?? true;
  const dataDir = resolve(options.dataDir ?? '.local');
  await mkdir(dataDir, { recursive: true });
  const dnsFile = join(dataDir, 'dev-dns.json');
  const dns = fileDns(dnsFile);
  const webDir = options.webDir ?? (await readFile(resolve('plugins-web/dist/index.html')).then(() => resolve('plugins-web/dist'), () => resolve('plugins-web')));

  // Connectors first: in managed mode that means DynamoDB Local (needs Java) and the tables.
  const stops: Array<() => Promise<void>> = [];
  let connectors: ConnectorBundle;
  if (managed) {
    const ddb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), inMemory: options.inMemory });
    stops.push(() => ddb.stop());
    const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const tables = await createTables(client);
    const deps = { db: createDocumentClient(client), tables, dns, certificates: localCertificates };
    const transports = Object.fromEntries(
      Object.entries(LOCAL_SERVICES).map(([name, build]) => [name, inProcessTransport(build(deps), name)]),
    ) as Record<ServiceKey, ReturnType<typeof inProcessTransport>>;
    connectors = loadConnectors({ mode: 'transports', transports });
  } else {
    connectors = loadConnectors({ mode: 'mock', hosting: { dns } });
  }

  let execute: ReturnType<typeof createExecuteHandler> | undefined;
  let issuer: ReturnType<typeof createDevIssuer> | undefined;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const read = await readBody(req, GATEWAY_BODY_LIMIT);
    if (read.tooLarge) {
      res.setHeader('connection', 'close');
      return json(res, 413, { message: 'Request Entity Too Large' });
    }
    if (url.pathname.startsWith('/api/')) {
      const result = await execute!(toApiGatewayEvent(req, read.body), {} as Context);
      return writeResult(res, result as never);
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') return json(res, 200, issuer!.jwks);
    if (req.method === 'POST' && url.pathname === '/dev/token') {
      const body = parseOrThrow(devTokenRequestSchema, parseJson(read.body), 'body');
      return json(res, 200, { token: issuer!.sign({ ...body, audience: LOCAL_AUDIENCE }), expiresInSeconds: body.expiresInSeconds ?? 3600 });
    }
    if (req.method === 'POST' && url.pathname === '/dev/dns') {
      const { name, values } = parseOrThrow(devDnsSchema, parseJson(read.body), 'body');
      const records = JSON.parse(await readFile(dnsFile, 'utf8').catch(() => '{}')) as Record<string, string[]>;
      records[name.toLowerCase()] = values;
      await writeFile(dnsFile, JSON.stringify(records, null, 2));
      return json(res, 200, { name: name.toLowerCase(), values });
    }
    if (req.method === 'GET' && (await serveStatic(webDir, url.pathname, res))) return;
    json(res, 404, { message: 'Not Found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof PlatformError) return json(res, httpStatusFor(error.code), { ok: false, error: error.toWire() });
      console.error(error);
      if (!res.headersSent) json(res, 500, { message: 'Internal Server Error' });
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 3000, done);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;

  // The issuer is this server, so the authenticator fetches the JWKS over real (loopback) HTTP.
  issuer = createDevIssuer({ issuer: url, keyFile: join(dataDir, 'dev-issuer-key.json') });
  execute = createExecuteHandler({
    authenticate: createJwtAuthenticator({
      issuer: url,
      audience: [LOCAL_AUDIENCE],
      jwksUri: `${url}/.well-known/jwks.json`,
      tenantClaim: 'tenantId',
      rolesClaim: 'roles',
    }),
    connectors,
    logger: createLogger('execute'),
  });

  await seedDemoTenant(connectors);

  return {
    url,
    managed,
    demoToken: issuer.sign({ sub: 'demo-owner', tenantId: DEMO_TENANT, roles: ['owner'], audience: LOCAL_AUDIENCE }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      for (const stop of stops.reverse()) await stop();
    },
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8') || 'null');
  } catch {
    throw new PlatformError('VALIDATION_FAILED', 'body: not valid JSON');
  }
}

/** A demo tenant with one app, so a first `list_apps` shows something. Idempotent across restarts. */
async function seedDemoTenant({ hosting }: ConnectorBundle): Promise<void> {
  const ctx: CallContext = { tenantId: DEMO_TENANT, userId: 'demo-owner', roles: ['owner'], correlationId: 'seed' };
  try {
    await hosting.createApp(ctx, { name: 'Demo app', slug: 'demo', description: 'Seeded by npm start' });
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'CONFLICT')) throw error;
  }
}
