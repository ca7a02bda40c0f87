// How many Lambda invokes an action costs: the access checks are cached per container and metering
// is a batched fire-and-forget event, so a warm action is one invoke (the action's own).
import { SERVICE_NAMES, type ServiceName } from '#connectors/contracts/registry';
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConnectors } from '#connectors/loader';
import { PLANS } from '#connectors/contracts/plans';
import { permissionsOf } from '#connectors/contracts/permissions';
import { createHarness } from '../support/execute-harness.ts';

const lambda = mockClient(LambdaClient);
const HOSTING = '/api/execute/moz.platform.hosting';
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;

/** The service functions, answering just enough for list_apps; every call is recorded. */
function fakeServices() {
  const calls: Array<{ fn: string; op: string; event: boolean; started: number; ended?: number }> = [];
  lambda.on(InvokeCommand).callsFake(async (input: InvokeCommandInput) => {
    const request = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as { op: string; context: { userId: string } };
    const call: (typeof calls)[number] = { fn: input.FunctionName!, op: request.op, event: input.InvocationType === 'Event', started: performance.now() };
    calls.push(call);
    // Each synchronous invoke takes a while, so calls made one after the other cannot overlap.
    if (input.InvocationType !== 'Event') await new Promise((done) => setTimeout(done, 25));
    call.ended = performance.now();
    if (input.InvocationType === 'Event') return { StatusCode: 202 };
    const data: Record<string, unknown> = {
      resolveUser: {
        user: { userId: request.context.userId, username: 'u', email: '', displayName: 'u', roles: ['owner'], status: 'active', createdAt: 't' },
        roles: ['owner'],
        permissions: permissionsOf(['owner']),
      },
      getEntitlements: { plan: 'free', features: [], limits: PLANS.free.limits, usage: { api_calls: 0 }, periodStart: 't', periodEnd: 't2' },
      listApps: { items: [] },
    };
    return { StatusCode: 200, Payload: encode({ ok: true, data: data[request.op] }) };
  });
  return calls;
}

describe('Lambda invokes per action', () => {
  beforeEach(() => lambda.reset());

  const setup = () => {
    const calls = fakeServices();
    const connectors = loadConnectors({
      mode: 'lambda',
      client: new LambdaClient({ region: 'us-east-1' }),
      functionNames: Object.fromEntries(SERVICE_NAMES.map((name) => [name, `${name}-fn`])) as Record<ServiceName, string>,
    });
    return { calls, ...createHarness(connectors, { meterFlushEvery: 10 }) };
  };

  it('costs three invokes cold in two sequential round trips ((user and plan), then action) and one warm', async () => {
    const { calls, call, token } = setup();
    const headers = { authorization: `Bearer ${token('acme', ['owner'], 'u1')}` };

    expect((await call({ path: HOSTING, headers, body: { action: 'list_apps' } })).status).toBe(200);
    expect(calls.map((c) => `${c.fn}:${c.op}`).sort()).toEqual(['billing-fn:getEntitlements', 'hosting-fn:listApps', 'identity-fn:resolveUser']);
    // Two sequential round trips, not three: Identity and Billing at once, then the action.
    const byFn = (fn: string) => calls.find((c) => c.fn === fn) as Required<(typeof calls)[number]>;
    const [identity, billing, action] = [byFn('identity-fn'), byFn('billing-fn'), byFn('hosting-fn')];
    expect(calls.at(-1)).toBe(action);
    expect(billing.started).toBeLessThan(identity.ended);
    expect(identity.started).toBeLessThan(billing.ended);
    expect(action.started).toBeGreaterThanOrEqual(Math.max(identity.ended, billing.ended));

    calls.length = 0;
    await call({ path: HOSTING, headers, body: { action: 'list_apps' } });
    expect(calls.map((c) => `${c.fn}:${c.op}`)).toEqual(['hosting-fn:listApps']);

    calls.length = 0;
    const colleague = { authorization: `Bearer ${token('acme', ['owner'], 'u2')}` };
    await call({ path: HOSTING, headers: colleague, body: { action: 'list_apps' } });
    expect(calls.map((c) => `${c.fn}:${c.op}`)).toEqual(['identity-fn:resolveUser', 'hosting-fn:listApps']);
  });

  it('meters in batches of fire-and-forget events, never a synchronous round trip per action', async () => {
    const { calls, call, token } = setup();
    const headers = { authorization: `Bearer ${token('acme', ['owner'], 'u1')}` };
    for (let i = 0; i < 20; i++) await call({ path: HOSTING, headers, body: { action: 'list_apps' } });
    const metering = calls.filter((c) => c.op === 'recordUsage');
    expect(metering).toHaveLength(2);
    expect(metering.every((c) => c.event && c.fn === 'billing-fn')).toBe(true);
    const amounts = lambda
      .commandCalls(InvokeCommand)
      .filter((c) => c.args[0].input.InvocationType === 'Event')
      .map((c) => JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)).input.amount);
    expect(amounts).toEqual([10, 10]);
  });
});
