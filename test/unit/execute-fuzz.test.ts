// Fuzz the execute runtime's input parsing: whatever body arrives, the answer is a well-formed
// envelope with a 2xx/4xx status, never a 5xx and never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMockConnectors } from '#functions/services/in-process';

const mockConnectors = await createMockConnectors();
import { hostingPlugin } from '#functions/execute/plugins/hosting';
import { createHarness } from '../support/execute-harness.ts';

describe('execute runtime under arbitrary bodies', () => {
  const { call, token } = createHarness(mockConnectors);
  const headers = { authorization: `Bearer ${token('fuzz')}` };
  const actions = Object.keys(hostingPlugin.actions);

  it('answers every JSON body with an envelope and no server error', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ action: fc.constantFrom(...actions) }, { requiredKeys: ['action'] }).chain((base) =>
        fc.dictionary(fc.constantFrom('appId', 'name', 'slug', 'domain', 'limit', 'cursor', 'status', 'deploymentId', 'expectedVersion', 'x'), fc.jsonValue()).map(
          (fields) => ({ ...fields, ...base }),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const res = await call({ path: '/api/execute/moz.platform.hosting', headers, body: value });
        expect(res.status).toBeLessThan(500);
        expect(typeof res.json.ok).toBe('boolean');
        expect(typeof res.json.correlationId).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary raw text with a 400 envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (raw) => {
        const res = await call({ path: '/api/execute/moz.platform.hosting', headers, rawBody: raw });
        expect([200, 400]).toContain(res.status);
        expect(res.json.ok).toBe(res.status === 200);
      }),
      { numRuns: 200 },
    );
  });
});
