// `npm run remove-tenant` as an operator runs it: a child process against DynamoDB Local (the run's, through
// MOZAIKS_DYNAMODB_ENDPOINT, with the local platform's `mozaiks-*` tables), refusing without confirmation,
// then removing the tenant and printing what it removed per service.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { SERVICE_NAMES, type ServiceName } from '#connectors/contracts/registry';
import type { CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createDocumentClient } from '#functions/shared/ddb';
import { createDynamoTable } from '#functions/shared/dynamo-table';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local';
import { seedDiscovery } from '#local/seed-discovery';
import { seedSocial } from '#local/seed-social';
import { createTables } from '#local/tables';
import { functionNamesFrom, parseArgs } from '../../bin/remove-tenant.ts';

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/remove-tenant.ts', ...args], {
      env: { ...process.env, MOZAIKS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run remove-tenant', () => {
  let connectors: ConnectorBundle;
  let tables: Record<ServiceName, string>;
  const db = () => createDocumentClient(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  /** The tenant's partition items in every `mozaiks-*` table. */
  async function itemsOf(tenantId: string): Promise<number> {
    let total = 0;
    for (const name of SERVICE_NAMES) {
      const { Items = [] } = await db().send(new ScanCommand({ TableName: tables[name], FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `T#${tenantId}` } }));
      total += Items.length;
    }
    return total;
  }

  beforeAll(async () => {
    tables = await createTables(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    connectors = await createInProcessConnectors({ table: (name) => createDynamoTable(db(), tables[name]) });
  });

  async function seed(tenantId: string): Promise<CallContext> {
    const owner: CallContext = { tenantId, userId: 'owner', roles: ['owner'], correlationId: randomUUID(), displayName: 'Owner' };
    await connectors.identity.resolveUser(owner, { displayName: 'Owner', tokenRoles: ['owner'] });
    await connectors.hosting.createApp(owner, { name: 'Demo app', slug: 'demo' });
    await seedDiscovery(connectors, owner);
    await seedSocial(connectors, owner);
    return owner;
  }

  it('refuses without confirmation, then removes the tenant and prints what it removed per service', { timeout: 120_000 }, async () => {
    const tenantId = `cli-${randomUUID().slice(0, 8)}`;
    const owner = await seed(tenantId);
    const other = await seed(`cli-${randomUUID().slice(0, 8)}`);
    const before = await itemsOf(tenantId);
    const othersBefore = await itemsOf(other.tenantId);

    // No terminal to ask on, no --yes: nothing happens.
    const refused = await run([tenantId]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('not confirmed; nothing was deleted');
    expect(await itemsOf(tenantId)).toBe(before);

    const removed = await run([tenantId, '--yes', '--limit', '4']);
    expect(removed.code, removed.output).toBe(0);
    const total = Number(/Removed (\d+) items of tenant/.exec(removed.output)?.[1]);
    // Its partitions plus its listing and the listing's search index, outside them.
    expect(total).toBeGreaterThan(before);
    expect(removed.output).toMatch(/^ {2}discovery +\d+$/m);
    expect(removed.output).toContain('Nothing of it is left in any service.');
    expect(await itemsOf(tenantId)).toBe(0);
    expect((await connectors.hosting.listApps(owner, {})).items).toEqual([]);
    expect(await itemsOf(other.tenantId)).toBe(othersBefore);
  });

  it('checks its arguments and, for --aws, names the function variables it lacks', () => {
    expect(parseArgs(['acme', '--yes', '--limit', '10'])).toEqual({ tenantId: 'acme', yes: true, aws: false, limit: 10 });
    expect(parseArgs([])).toBe('which tenant?');
    expect(parseArgs(['a/b'])).toMatch(/not a tenant id/);
    expect(parseArgs(['acme', '--limit', '500'])).toMatch(/--limit/);
    expect(parseArgs(['acme', 'globex'])).toMatch(/one tenant at a time/);
    expect(functionNamesFrom({ HOSTING_FUNCTION_NAME: 'h' })).toMatch(/IDENTITY_FUNCTION_NAME/);
    const all = Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_FUNCTION_NAME`, `${name}-fn:live`]));
    expect(functionNamesFrom(all)).toMatchObject({ hosting: 'hosting-fn:live', identity: 'identity-fn:live' });
  });
});
