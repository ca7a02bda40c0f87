import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_DEADLINE_MS, createConnector, lambdaTransport } from '#connectors/base';
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

describe('service call deadline (a slow service must not outlive the execute function)', () => {
  /** A Lambda client whose calls never answer; they end only when their abort signal fires. */
  const hangingClient = (seen: Array<AbortSignal | undefined>) =>
    ({
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          const signal = options?.abortSignal;
          seen.push(signal);
          signal?.addEventListener('abort', () => reject(signal.reason));
        }),
    }) as unknown as LambdaClient;

  it('answers UPSTREAM_UNAVAILABLE once the deadline passes, not when Lambda gives up', async () => {
    const seen: Array<AbortSignal | undefined> = [];
    const transport = lambdaTransport(hangingClient(seen), 'hosting-fn', 'hosting', 250);
    const started = Date.now();
    const result = await transport.send({ op: 'getApp', input: { appId: 'x' }, context: ctx });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'The hosting service is unavailable; try again' } });
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(elapsed).toBeLessThan(2_000);
    expect(seen[0]?.aborted).toBe(true);
  }, 5_000);

  it('bounds the metering hand-over (Event invoke) by the same deadline', async () => {
    const transport = lambdaTransport(hangingClient([]), 'billing-fn', 'billing', 250);
    await expect(transport.emit!({ op: 'recordUsage', input: {}, context: ctx })).resolves.toBe(false);
  }, 5_000);

  it('gives every call a deadline by default, below the execute function timeout', async () => {
    const seen: Array<AbortSignal | undefined> = [];
    void lambdaTransport(hangingClient(seen), 'hosting-fn', 'hosting').send({ op: 'getApp', input: {}, context: ctx });
    expect(seen[0]).toBeInstanceOf(AbortSignal);
    expect(DEFAULT_SERVICE_DEADLINE_MS).toBeLessThan(12_000);
  });
});
