import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createConnector, lambdaTransport } from '#connectors/base';
import { hostingContract } from '#connectors/contracts/hosting';
import { PlatformError } from '#connectors/contracts/wire';

const lambda = mockClient(LambdaClient);
const ctx = { tenantId: 'acme', userId: 'u1', roles: ['admin'], correlationId: 'c-1' };
const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
const connector = () => createConnector('hosting', hostingContract, lambdaTransport(new LambdaClient({ region: 'us-east-1' }), 'hosting-fn', 'hosting'));

const app = { appId: 'app_1', name: 'A', slug: 'a-a', description: '', status: 'draft', createdAt: 'x', updatedAt: 'x', version: 1 };

describe('managed connector over Lambda Invoke', () => {
  beforeEach(() => lambda.reset());

  it('sends { op, input, context } to the service function and returns its data', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: true, data: app }) });
    expect(await connector().getApp(ctx, { appId: 'app_1' })).toEqual(app);
    const sent = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(sent.FunctionName).toBe('hosting-fn');
    expect(JSON.parse(new TextDecoder().decode(sent.Payload as Uint8Array))).toEqual({ op: 'getApp', input: { appId: 'app_1' }, context: ctx });
  });

  it('turns a business failure result into a PlatformError with the same code', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: false, error: { code: 'NOT_FOUND', message: 'App not found' } }) });
    await expect(connector().getApp(ctx, { appId: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'App not found' });
  });

  it('reports a FunctionError (crash, timeout) as UPSTREAM_UNAVAILABLE', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({ errorMessage: 'Task timed out' }) });
    const error = (await connector().getApp(ctx, { appId: 'x' }).catch((e: unknown) => e)) as PlatformError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).not.toContain('Task timed out');
  });

  it('reports a throttled or unreachable Lambda API as UPSTREAM_UNAVAILABLE', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await expect(connector().listApps(ctx, {})).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('refuses a reply outside the contract as INTERNAL', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: true, data: { appId: 1 } }) });
    await expect(connector().getApp(ctx, { appId: 'x' })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
