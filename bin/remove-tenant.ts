// `npm run remove-tenant -- <tenantId> [--yes] [--aws] [--limit N]`: the operator's way to remove a
// tenant (README "Removing a tenant"): every item of it in every service table, in batches of N (default
// 25), printed per service as it goes, until a full pass finds nothing left. It asks for the tenant id
// again unless --yes.
//   local (default): the local platform's data, DynamoDB Local over MOZAIKS_DATA_DIR (default .local), or
//     the one at MOZAIKS_DYNAMODB_ENDPOINT (`npm run dev` prints it). Stop `npm start` first: it runs its
//     own DynamoDB Local over the same files, and its caches would still know the tenant for up to 30 s.
//   --aws: the deployed stack's service functions over Lambda Invoke, named by <SERVICE>_FUNCTION_NAME
//     (the execute function's variables; each a function name or ARN, e.g. with `:live`), with the
//     default AWS credentials, which need lambda:InvokeFunction on them.
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SERVICE_NAMES, functionNameEnv, type ServiceName } from '#connectors/contracts/registry';
import { PURGE_LIMIT } from '#connectors/contracts/tenant-purge';
import { loadConnectors, type ConnectorBundle } from '#connectors/loader';
import { REMOVAL_ORDER, removeTenant } from '#functions/execute/plugins/tenant-removal';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createDocumentClient } from '#functions/shared/ddb';
import { createDynamoTable } from '#functions/shared/dynamo-table';
import { JavaMissingError, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/tables';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const USAGE = 'usage: npm run remove-tenant -- <tenantId> [--yes] [--aws] [--limit N]';
/** The tenant claim's shape (functions/execute/auth.ts): nothing else can be a tenant. */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RemoveTenantArgs {
  tenantId: string;
  yes: boolean;
  aws: boolean;
  limit: number;
}

/** The command line, or a message saying what is wrong with it. */
export function parseArgs(argv: readonly string[]): RemoveTenantArgs | string {
  const args: RemoveTenantArgs = { tenantId: '', yes: false, aws: false, limit: PURGE_LIMIT.default };
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--yes' || arg === '-y') args.yes = true;
    else if (arg === '--aws') args.aws = true;
    else if (arg === '--limit') {
      const limit = Number(rest.shift());
      if (!Number.isInteger(limit) || limit < PURGE_LIMIT.min || limit > PURGE_LIMIT.max) return `--limit takes a whole number from ${PURGE_LIMIT.min} to ${PURGE_LIMIT.max}`;
      args.limit = limit;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (args.tenantId) return `one tenant at a time (got ${args.tenantId} and ${arg})`;
    else args.tenantId = arg;
  }
  if (!args.tenantId) return 'which tenant?';
  if (!TENANT_ID.test(args.tenantId)) return `"${args.tenantId}" is not a tenant id (letters, digits, _ and -, at most 64)`;
  return args;
}

/** The service functions named by the execute function's variables; a message naming the missing ones otherwise. */
export function functionNamesFrom(env: NodeJS.ProcessEnv): Record<ServiceName, string> | string {
  const missing = SERVICE_NAMES.filter((name) => !env[functionNameEnv(name)]);
  if (missing.length > 0) return `--aws needs ${missing.map(functionNameEnv).join(', ')} (the service functions, as the execute function's environment has them)`;
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, env[functionNameEnv(name)]!])) as Record<ServiceName, string>;
}

interface Target {
  connectors: ConnectorBundle;
  where: string;
  close(): Promise<void>;
}

async function awsTarget(): Promise<Target> {
  const functionNames = functionNamesFrom(process.env);
  if (typeof functionNames === 'string') fail(functionNames);
  const client = new LambdaClient({});
  const region = await client.config.region().catch(() => 'the default region');
  return {
    connectors: loadConnectors({ mode: 'lambda', client, functionNames }),
    where: `the deployed service functions in ${region} (${functionNames.hosting}, ...)`,
    close: async () => client.destroy(),
  };
}

async function localTarget(): Promise<Target> {
  const endpoint = process.env.MOZAIKS_DYNAMODB_ENDPOINT || undefined;
  const dataDir = resolve(process.env.MOZAIKS_DATA_DIR || '.local');
  let ddb: DynamoDbLocal | undefined;
  if (!endpoint) {
    try {
      ddb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), restart: false });
    } catch (error) {
      if (error instanceof JavaMissingError) fail(error.message);
      throw error;
    }
  }
  const client = new DynamoDBClient({ endpoint: endpoint ?? ddb!.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const db = createDocumentClient(client);
  const tables = await createTables(client);
  // Every registry service as the local platform builds it (settings only matter to operations this does not call).
  const connectors = await createInProcessConnectors({ table: (name) => createDynamoTable(db, tables[name]) });
  return {
    connectors,
    where: endpoint ? `DynamoDB Local at ${endpoint}` : `the local platform's data in ${join(dataDir, 'dynamodb')}`,
    close: async () => {
      client.destroy();
      await ddb?.stop();
    },
  };
}

function fail(message: string): never {
  console.error(`remove-tenant: ${message}`);
  process.exit(1);
}

async function confirmed(tenantId: string, where: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`This deletes every item of tenant "${tenantId}" from ${where}, in every service, for good.\nType the tenant id to go on: `);
    return answer.trim() === tenantId;
  } finally {
    prompt.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') fail(`${args}\n${USAGE}`);
  const target = args.aws ? await awsTarget() : await localTarget();
  try {
    if (!args.yes && !(await confirmed(args.tenantId, target.where))) fail('not confirmed; nothing was deleted (pass --yes to skip the question)');
    console.log(`Removing tenant "${args.tenantId}" from ${target.where}, ${args.limit} items per call:`);
    const started = Date.now();
    // One line per service each time it finishes having removed something.
    let running = { removed: 0, calls: 0 };
    const report = await removeTenant(target.connectors, args.tenantId, {
      limit: args.limit,
      correlationId: `remove-tenant-cli-${started}`,
      onCall: (service, { removed, done }) => {
        running = { removed: running.removed + removed, calls: running.calls + 1 };
        if (!done) return;
        if (running.removed > 0) console.log(`  ${service.padEnd(10)} ${running.removed} removed in ${running.calls} call${running.calls === 1 ? '' : 's'}`);
        running = { removed: 0, calls: 0 };
      },
    });
    const total = REMOVAL_ORDER.reduce((sum, name) => sum + report.removed[name], 0);
    console.log(`Removed ${total} items of tenant "${args.tenantId}" in ${report.calls} calls (${Date.now() - started} ms):`);
    for (const name of REMOVAL_ORDER) console.log(`  ${name.padEnd(10)} ${report.removed[name]}`);
    console.log('Nothing of it is left in any service.');
  } finally {
    await target.close();
  }
}

// Run as a command, not when a test imports parseArgs.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await main().catch((error: unknown) => fail(`stopped: ${error instanceof Error ? error.message : String(error)}; run it again to go on (what was deleted stays deleted)`));
}
