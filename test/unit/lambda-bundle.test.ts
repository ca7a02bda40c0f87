// The Lambda bundles as the stack ships them (lib/lambda-bundle.ts): a cold start compiles the entry and
// its static chunks only, and the entry still loads and exports the handler from its chunks.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES, functionNameEnv } from '#connectors/contracts/registry';
import { EXECUTE_ENTRY, serviceEntry } from '#lib/entries';
import { ENTRY_FILE, bundleBytes, bundleLambda, coldStartInputs } from '#lib/lambda-bundle';

const run = promisify(execFile);
/** Credential sources Lambda never uses (its credentials come from the environment). */
const OTHER_CREDENTIAL_SOURCES = ['credential-provider-sso', 'credential-provider-ini', 'credential-provider-process', 'nested-clients'];

async function bundle(entry: string) {
  const dir = await mkdtemp(join(tmpdir(), 'mozaiks-bundle-'));
  return { dir, metafile: await bundleLambda({ entryPoints: { index: entry } }, dir) };
}

/** Imports the bundle's entry in a fresh Node, as Lambda would, and says what `handler` is. */
async function handlerType(dir: string, env: Record<string, string>): Promise<string> {
  const script = 'const m = await import(process.argv[1]); process.stdout.write(typeof m.handler);';
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(join(dir, ENTRY_FILE)).href], {
    env: { ...process.env, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
  });
  return stdout;
}

describe('Lambda bundles', () => {
  it('billing: the Stripe SDK and the other credential sources stay off the cold path, and the entry loads', async () => {
    const { dir, metafile } = await bundle(serviceEntry('billing'));
    const all = Object.keys(metafile.inputs);
    const coldPath = coldStartInputs(metafile);
    expect(all.some((file) => file.includes('node_modules/stripe/'))).toBe(true);
    expect(coldPath.filter((file) => file.includes('node_modules/stripe/'))).toEqual([]);
    for (const source of OTHER_CREDENTIAL_SOURCES) expect(coldPath.filter((file) => file.includes(source))).toEqual([]);
    expect(coldPath.some((file) => file.includes('@aws-sdk/client-dynamodb'))).toBe(true);
    const bytes = bundleBytes(metafile);
    expect(bytes.coldStart).toBeLessThan(bytes.total / 2);
    expect(await handlerType(dir, { TABLE_NAME: 'bench' })).toBe('function');
  }, 60_000);

  it('execute: Powertools Tracer off the cold path (a chunk read only when sdkTracing loads it), and it loads from its chunks with its settings', async () => {
    const { dir, metafile } = await bundle(EXECUTE_ENTRY);
    const coldPath = coldStartInputs(metafile);
    expect(coldPath.some((file) => file.includes('@aws-sdk/client-lambda'))).toBe(true);
    const tracer = (file: string) => file.includes('@aws-lambda-powertools/tracer') || file.includes('aws-xray-sdk');
    expect(Object.keys(metafile.inputs).some(tracer)).toBe(true);
    expect(coldPath.some((file) => file.includes('@aws-lambda-powertools/metrics'))).toBe(true);
    expect(coldPath.filter(tracer)).toEqual([]);
    const functionNames = Object.fromEntries(SERVICE_NAMES.map((name) => [functionNameEnv(name), name]));
    expect(await handlerType(dir, { AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'x', ...functionNames })).toBe('function');
  }, 60_000);
});
