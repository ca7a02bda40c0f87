// Fire-and-forget requests (metering): an Event invoke on Lambda, an unawaited call in process.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { billingContract } from '#connectors/contracts/billing';
import { createConnector, emitRequest, inProcessTransport, lambdaTransport, type Transport } from '#connectors/base';

const lambda = mockClient(LambdaClient);
const ctx = { tenantId: 'acme', userId: 'u1', roles: ['admin'], correlationId: 'c-1' };
const request = { op: 'recordUsage', input: { metric: 'api_calls', amount: 1 }, context: ctx };
const transport = () => lambdaTransport(new LambdaClient({ region: 'us-east-1' }), 'billing-fn', 'billing');

describe('lambdaTransport.emit (InvocationType Event)', () => {
  beforeEach(() => lambda.reset());

  it('queues the request with an Event invoke and reports the 202 as handed over', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    expect(await transport().emit!(request)).toBe(true);
    const sent = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(sent).toMatchObject({ FunctionName: 'billing-fn', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(sent.Payload as Uint8Array))).toEqual(request);
  });

  it('never throws: a throttle or an unexpected status is reported as false', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    expect(await transport().emit!(request)).toBe(false);
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    expect(await transport().emit!(request)).toBe(false);
  });

  it("is what a connector's emit sends, and it swallows failures", async () => {
    lambda.on(InvokeCommand).rejects(new Error('network down'));
    await expect(createConnector('billing', billingContract, transport()).emit('recordUsage', ctx, { metric: 'api_calls', amount: 3 })).resolves.toBeUndefined();
    const sent = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(sent.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(sent.Payload as Uint8Array))).toEqual({ op: 'recordUsage', input: { metric: 'api_calls', amount: 3 }, context: ctx });
  });
});

describe('inProcessTransport.emit', () => {
  it('starts the handler with a serialized copy and does not wait for it', async () => {
    let finish: (value: unknown) => void = () => undefined;
    const handler = vi.fn((_event: unknown) => new Promise((resolve) => (finish = resolve)));
    expect(await inProcessTransport(handler, 'billing').emit!(request)).toBe(true);
    await vi.waitFor(() => expect(handler).toHaveBeenCalledWith(request));
    expect(handler.mock.calls[0]![0]).not.toBe(request);
    finish({ ok: true, data: {} });
  });

  it('swallows a crashing handler (no unhandled rejection)', async () => {
    const handler = vi.fn(async () => {
      throw new Error('boom');
    });
    expect(await inProcessTransport(handler, 'billing').emit!(request)).toBe(true);
    await vi.waitFor(() => expect(handler).toHaveBeenCalled());
  });
});

describe('emitRequest', () => {
  it('falls back to send, not awaited, when a transport has no emit', async () => {
    let finish: (value: never) => void = () => undefined;
    const send = vi.fn(() => new Promise<never>((resolve) => (finish = resolve)));
    const bare: Transport = { send };
    expect(await emitRequest(bare, request)).toBe(true);
    expect(send).toHaveBeenCalledWith(request);
    finish(undefined as never);
  });

  it('never rejects, even when a transport breaks its promise not to', async () => {
    expect(await emitRequest({ send: vi.fn(), emit: () => Promise.reject(new Error('x')) }, request)).toBe(false);
    expect(await emitRequest({ send: () => Promise.reject(new Error('x')) }, request)).toBe(true);
  });
});
