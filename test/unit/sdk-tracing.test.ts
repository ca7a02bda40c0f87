// SDK tracing is off unless the stack turns it on; on, each client call gets an X-Ray subsegment.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

const middlewareNames = (client: LambdaClient) => client.middlewareStack.identify().join(' ');

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('traced', () => {
  it('leaves clients untouched by default', async () => {
    vi.stubEnv('MOZAIKS_TRACE_SDK', '');
    const { traced } = await import('#functions/shared/sdk-tracing');
    const client = new LambdaClient({ region: 'us-east-1' });
    const before = middlewareNames(client);
    expect(traced(client)).toBe(client);
    expect(middlewareNames(client)).toBe(before);
  });

  it('adds the Powertools Tracer middleware with MOZAIKS_TRACE_SDK=true', async () => {
    vi.stubEnv('MOZAIKS_TRACE_SDK', 'true');
    vi.stubEnv('AWS_XRAY_CONTEXT_MISSING', 'IGNORE_ERROR');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'execute'); // Tracer stays off outside Lambda
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    const { traced } = await import('#functions/shared/sdk-tracing');
    const client = new LambdaClient({ region: 'us-east-1' });
    const before = middlewareNames(client);
    traced(client);
    expect(middlewareNames(client)).not.toBe(before);
    expect(middlewareNames(client).toLowerCase()).toMatch(/xray/);
  });

  it('keeps Powertools Tracer off the cold path of a Lambda bundle (in a chunk read only when sdkTracing loads it)', async () => {
    const { bundleLambda, coldStartInputs } = await import('#lib/lambda-bundle');
    const { EXECUTE_ENTRY } = await import('#lib/entries');
    const metafile = await bundleLambda({ entryPoints: { index: EXECUTE_ENTRY } }, await mkdtemp(join(tmpdir(), 'mozaiks-bundle-')));
    const tracer = (file: string) => file.includes('@aws-lambda-powertools/tracer') || file.includes('aws-xray-sdk');
    expect(Object.keys(metafile.inputs).some(tracer)).toBe(true);
    const coldPath = coldStartInputs(metafile);
    expect(coldPath.some((file) => file.includes('@aws-lambda-powertools/metrics'))).toBe(true);
    expect(coldPath.filter(tracer)).toEqual([]);
  }, 60_000);
});
