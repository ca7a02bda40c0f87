// Each action leaves one metric set: plugin and action as dimensions, the tenant as a property (never a
// dimension), and its outcome; unknown plugins or actions never become dimensions.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockConnectors } from '#functions/services/in-process';
import { createActionMetrics, resultOf, type ActionOutcome } from '#functions/execute/action-metrics';
import { createHarness } from '../support/execute-harness.ts';

afterEach(() => vi.restoreAllMocks());

describe('action metrics in the runtime', async () => {
  const recorded: ActionOutcome[] = [];
  const { call, token } = createHarness(await createMockConnectors(), { metrics: { record: (o) => recorded.push(o) } });
  const execute = (body: unknown, roles = ['admin'], sub = 'u1') =>
    call({ method: 'POST', path: '/api/execute/moz.platform.hosting', body, headers: { authorization: `Bearer ${token('metrics-t', roles, sub)}` } });

  it('records the outcome and latency of each known action, successful or refused', async () => {
    recorded.length = 0;
    await execute({ action: 'list_apps' });
    await execute({ action: 'create_app', name: 'X', slug: 'NOT VALID' });
    await execute({ action: 'create_app', name: 'Shop', slug: 'shop' }, ['member'], 'u2'); // roles count on a user's first sign-in
    expect(recorded.map(({ plugin, action, tenantId, outcome }) => ({ plugin, action, tenantId, outcome }))).toEqual([
      { plugin: 'moz.platform.hosting', action: 'list_apps', tenantId: 'metrics-t', outcome: 'ok' },
      { plugin: 'moz.platform.hosting', action: 'create_app', tenantId: 'metrics-t', outcome: 'VALIDATION_FAILED' },
      { plugin: 'moz.platform.hosting', action: 'create_app', tenantId: 'metrics-t', outcome: 'FORBIDDEN' },
    ]);
    for (const outcome of recorded) expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('records nothing for an unknown action or plugin (client-chosen names never become dimensions)', async () => {
    recorded.length = 0;
    await execute({ action: 'drop_tables' });
    await call({ method: 'POST', path: '/api/execute/moz.platform.nope', body: { action: 'x' }, headers: { authorization: `Bearer ${token('metrics-t')}` } });
    expect(recorded).toEqual([]);
  });
});

describe('createActionMetrics (Powertools EMF)', () => {
  it('writes one short EMF line per action: plugin, action and result as dimensions, the tenant as a property', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const logSpy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    createActionMetrics('MozaiksTest').record({ plugin: 'moz.platform.hosting', action: 'deploy', tenantId: 't-1', correlationId: 'c-1', outcome: 'UPSTREAM_UNAVAILABLE', latencyMs: 42 });
    logSpy.mockRestore();
    const emf = lines.map((line) => line.trim()).filter((line) => line.startsWith('{') && line.includes('_aws')).map((line) => JSON.parse(line));
    expect(emf).toHaveLength(1);
    const [blob] = emf;
    const directive = blob._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('MozaiksTest');
    expect(directive.Dimensions).toEqual([expect.arrayContaining(['service', 'plugin', 'action', 'result'])]);
    expect(directive.Dimensions[0]).not.toContain('tenantId');
    expect(directive.Metrics).toEqual([{ Name: 'ActionLatency', Unit: 'Milliseconds' }]);
    expect(blob).toMatchObject({ plugin: 'moz.platform.hosting', action: 'deploy', result: 'server_error', tenantId: 't-1', outcome: 'UPSTREAM_UNAVAILABLE', ActionLatency: 42 });
    // The bytes every action adds to the logs (README, "Performance", counts them at this size).
    expect(Buffer.byteLength(JSON.stringify(blob))).toBeLessThan(420);
  });

  it('sorts outcomes into results: the platform\'s fault or the caller\'s', () => {
    expect(['ok', 'VALIDATION_FAILED', 'FORBIDDEN', 'QUOTA_EXCEEDED', 'INTERNAL', 'UPSTREAM_UNAVAILABLE'].map(resultOf)).toEqual([
      'ok',
      'client_error',
      'client_error',
      'client_error',
      'server_error',
      'server_error',
    ]);
  });
});
