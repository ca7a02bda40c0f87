// SDK tracing is off unless the stack turns it on; on, each client call gets an X-Ray subsegment.
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
});
