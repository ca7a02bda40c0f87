// The local platform: the real execute handler behind a Node HTTP server that speaks API Gateway
// payload v2, a dev token issuer with its JWKS, and either DynamoDB Local + the real service handlers
// (managed) or the mock connectors. bin/local.ts is the command; tests start it the same way.
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { ConnectorBundle } from '#connectors/loader';
import { PlatformError, httpStatusFor } from '#connectors/contracts/wire';
import { createJwtAuthenticator } from '#functions/execute/auth';
import { createExecuteHandler } from '#functions/execute/runtime';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createDocumentClient } from '#functions/shared/ddb';
import { createDynamoTable } from '#functions/shared/dynamo-table';
import { createLogger } from '#functions/shared/logger';
import { createDevIssuer } from './dev-issuer.ts';
import type { UiConfig } from '#connectors/contracts/ui-config';
import { applyCors } from './cors.ts';
import { createDevOidc } from './dev-oidc.ts';
import { createDevRoutes } from './dev-routes.ts';
import {
  DEFAULT_RESTART_POLICY,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
  type DynamoDbLocal,
  type DynamoDbLocalEvent,
  type RestartPolicy,
} from './dynamodb-local.ts';
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
  /**
   * The address the HTTP server binds to. Anyone who reaches it can mint tokens at /dev/token, so
   * the default is loopback only; any other address is logged as a warning.
   * @default '127.0.0.1'
   */
  host?: string;
  /** Managed (DynamoDB Local + real service handlers) or mock connectors. @default true */
  managed?: boolean;
  /** Where DynamoDB Local's data, the dev key and the dev DNS file live. @default .local */
  dataDir?: string;
  /**
   * A DynamoDB Local that is already running (`npm run dev` keeps one across reloads): use it, start none.
   * @default - start one
   */
  dynamoDbEndpoint?: string;
  /** Keep DynamoDB Local in memory (tests). @default false */
  inMemory?: boolean;
  /** Folder of the built plugin UIs. @default plugins-web/dist, else plugins-web */
  webDir?: string;
  /** How long the execute runtime trusts cached permissions and plans. @default 30 s */
  accessCacheMs?: number;
  /** Restarts of DynamoDB Local after it exits on its own (same port, same data). `false`: none. @default 3 within 60 s */
  dynamoDbRestart?: RestartPolicy | false;
  /**
   * Called once DynamoDB Local is down for good (restarts off or spent): every data call fails from
   * then on and /api/health answers 503. bin/local.ts exits the process. @default only logged
   */
  onDynamoDbLost?: (error: Error) => void;
  /**
   * How the UIs sign in (what `/config.json` tells them): `dev` = the dev form posting to /dev/token;
   * `oidc` = the authorization-code flow with PKCE against this server's OIDC stand-in, as on AWS.
   * @default 'dev'
   */
  signIn?: 'dev' | 'oidc';
  /** Other origins allowed to call the API from a browser (CORS), e.g. a host app on another port. @default none */
  corsOrigins?: readonly string[];
  /** Where operational messages go (bind warning, DynamoDB Local exits and restarts). @default console.error */
  log?: (message: string) => void;
}

/** Whether an address (or `localhost`) can only be reached from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * The URL clients use, which is also the dev issuer (`iss`) and where the authenticator fetches the
 * JWKS from: `localhost` when the server listens on loopback or on every interface (both answer
 * there), else the address it is bound to.
 */
function baseUrl(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '');
  const everywhere = bare === '0.0.0.0' || bare === '::' || bare === '';
  if (everywhere || bare === '127.0.0.1' || bare.toLowerCase() === 'localhost') return `http://localhost:${port}`;
  return `http://${isIP(bare) === 6 ? `[${bare}]` : bare}:${port}`;
}

export interface LocalPlatform {
  url: string;
  /** The address the HTTP server is bound to. */
  host: string;
  managed: boolean;
  /** DynamoDB Local (managed mode): its endpoint and current pid. */
  dynamodb?: DynamoDbLocal;
  /** A token for the demo tenant's owner, valid one hour. */
  demoToken: string;
  /** The services the execute handler calls, in-process (the bench times a service's handler alone). */
  connectors: ConnectorBundle;
  stop(): Promise<void>;
}

export const sendJson = (res: ServerResponse, status: number, body: unknown) =>
  writeResult(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const managed = options.managed ?? true;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((message: string) => console.error(message));
  const dataDir = resolve(options.dataDir ?? '.local');
  await mkdir(dataDir, { recursive: true });
  const dnsFile = join(dataDir, 'dev-dns.json');
  const webDir = options.webDir ?? (await readFile(resolve('plugins-web/dist/index.html')).then(() => resolve('plugins-web/dist'), () => resolve('plugins-web')));

  // DynamoDB Local first (managed mode needs Java): fail before opening a port.
  const stops: Array<() => Promise<void>> = [];
  let ddb: DynamoDbLocal | undefined;
  let ddbClient: DynamoDBClient | undefined;
  let dependencies: Record<string, () => Promise<unknown>> | undefined;
  if (managed && options.dynamoDbEndpoint) {
    ddbClient = new DynamoDBClient({ endpoint: options.dynamoDbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  } else if (managed) {
    const ddbDir = join(dataDir, 'dynamodb');
    const policy = options.dynamoDbRestart ?? DEFAULT_RESTART_POLICY;
    // A restart reopens the same file on the same port, so `ddbClient` keeps working; in memory
    // (tests) it starts empty, so the tables are made again.
    const onEvent = (event: DynamoDbLocalEvent): void => {
      switch (event.type) {
        case 'warning':
          return log(`mozaiks: warning: ${event.message}`);
        case 'exit': {
          const how = event.signal ? `killed by ${event.signal}` : `exit code ${event.code}`;
          // Its last words when it ended itself (a crash, an error); a killed JVM leaves only its banner.
          const tail = event.signal ? '' : event.output.trim().split('\n').slice(-5).join('\n  ');
          const next = event.restarting
            ? `restarting it on port ${ddb?.port} ${options.inMemory ? '(in memory: its data is gone)' : `with the data in ${ddbDir}`} (restart ${event.restart} of ${event.maxRestarts} allowed within ${policy === false ? 0 : Math.round(policy.windowMs / 1000)} s)`
            : 'not restarting it';
          return log(`mozaiks: DynamoDB Local (pid ${event.pid}) exited unexpectedly (${how}); ${next}${tail ? `\n  ${tail}` : ''}`);
        }
        case 'restart-failed':
          return log(`mozaiks: DynamoDB Local did not come back: ${event.error.message.split('\n')[0]}`);
        case 'restarted':
          log(`mozaiks: DynamoDB Local is back (pid ${event.pid}) on ${ddb?.endpoint}`);
          if (options.inMemory && ddbClient) void createTables(ddbClient).catch((error: unknown) => log(`mozaiks: could not re-create the tables: ${String(error)}`));
          return;
        case 'gave-up':
          log(`mozaiks: ${event.error.message}. Every data call fails from now on; /api/health answers 503.`);
          return options.onDynamoDbLost?.(event.error);
      }
    };
    const started = await startDynamoDbLocal({ dataDir: ddbDir, inMemory: options.inMemory, restart: policy, onEvent });
    ddb = started;
    stops.push(() => started.stop());
    ddbClient = new DynamoDBClient({ endpoint: started.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  }
  if (ddbClient) {
    const client = ddbClient;
    // /api/health answers 503 naming DynamoDB Local while it does not answer (e.g. during a restart).
    dependencies = { dynamodb: () => client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) }) };
  }

  // The server listens before the handlers exist: the issuer and checkout URLs need its port.
  let app: { execute: ReturnType<typeof createExecuteHandler>; dev: ReturnType<typeof createDevRoutes>; oidc: ReturnType<typeof createDevOidc> } | undefined;
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof PlatformError) return sendJson(res, httpStatusFor(error.code), { ok: false, error: error.toWire() });
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    // Loopback by default: whoever reaches this server can mint an owner token at /dev/token.
    server.listen(options.port ?? 3000, host, done);
  });
  if (!isLoopbackHost(host)) {
    log(`mozaiks: warning: listening on ${host}, not loopback: anyone who can reach it can mint an owner token for any tenant at /dev/token.`);
  }
  const url = baseUrl(host, (server.address() as AddressInfo).port);
  const checkoutUrl = `${url}/dev/checkout`;

  // The real services with the same settings in both modes (so plans, 402s and quotas behave alike),
  // each over its table in DynamoDB Local (managed) or in memory (mock).
  const settings = { PAYMENT_PROVIDER: 'local', BILLING_CHECKOUT_URL: checkoutUrl, DNS_FILE: dnsFile, TLS_CERTIFICATES: 'immediate' };
  let connectors: ConnectorBundle;
  if (ddbClient) {
    const db = createDocumentClient(ddbClient);
    const tables = await createTables(ddbClient);
    connectors = await createInProcessConnectors({ table: (name) => createDynamoTable(db, tables[name]), settings });
  } else {
    connectors = await createInProcessConnectors({ settings });
  }

  // The issuer is this server, so the authenticator fetches the JWKS over real (loopback) HTTP.
  const issuer = createDevIssuer({ issuer: url, keyFile: join(dataDir, 'dev-issuer-key.json') });
  const execute = createExecuteHandler({
    authenticate: createJwtAuthenticator({ issuer: url, audience: [LOCAL_AUDIENCE], jwksUri: `${url}/.well-known/jwks.json`, tenantClaim: 'tenantId', rolesClaim: 'roles' }),
    connectors,
    logger: createLogger('execute'),
    accessCacheMs: options.accessCacheMs,
    dependencies,
  });
  await seedDemoTenant(connectors);
  const corsOrigins = options.corsOrigins ?? [];
  const signInConfig: UiConfig =
    options.signIn === 'oidc' ? { signIn: 'oidc', issuer: url, clientId: LOCAL_AUDIENCE, tenantClaim: 'tenantId', rolesClaim: 'roles' } : { signIn: 'dev' };
  app = {
    execute,
    dev: createDevRoutes({ issuer, audience: LOCAL_AUDIENCE, connectors, execute, dnsFile, signInConfig }),
    // The hosted sign-in's stand-in; codes go only to this origin or the CORS origins.
    oidc: createDevOidc({ issuer, clientId: LOCAL_AUDIENCE, redirectOrigins: () => [url, ...corsOrigins] }),
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!app) return sendJson(res, 503, { message: 'Starting' });
    if (applyCors(req, res, options.corsOrigins ?? [])) return;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const read = await readBody(req, GATEWAY_BODY_LIMIT);
    if (read.tooLarge) {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { message: 'Request Entity Too Large' });
    }
    if (path.startsWith('/api/')) return writeResult(res, (await app.execute(toApiGatewayEvent(req, read.body), {} as Context)) as never);
    if (await app.dev(req, res, read.body)) return;
    if (await app.oidc(req, res, read.body)) return;
    if (req.method === 'GET' && (await serveStatic(webDir, path, res))) return;
    sendJson(res, 404, { message: 'Not Found' });
  }

  return {
    url,
    host,
    managed,
    dynamodb: ddb,
    connectors,
    demoToken: issuer.sign({ sub: DEMO_OWNER, tenantId: DEMO_TENANT, roles: ['owner'], audience: LOCAL_AUDIENCE }),
    async stop() {
      await execute.meter.flush();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      for (const stop of stops.reverse()) await stop();
    },
  };
}
