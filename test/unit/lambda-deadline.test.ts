// Issue 6, item 12, with the real AWS SDK (no client mock): the Lambda client has no timeout of its
// own, so a Lambda API that accepts the call and never answers would hold the execute function
// until API Gateway gives up with its bare 500. The transport's deadline aborts the call first.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaTransport } from '#connectors/base';

const ctx = { tenantId: 'acme', userId: 'u1', roles: ['admin'], correlationId: 'c-1' };

describe('lambdaTransport over a real LambdaClient', () => {
  let server: Server;
  let client: LambdaClient;
  let requests = 0;

  beforeAll(async () => {
    // Reads the request and never answers, like a Lambda invoke stuck behind a slow service.
    server = createServer(() => void requests++);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    client = new LambdaClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    client?.destroy();
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
  });

  it('aborts the invoke at the deadline and answers UPSTREAM_UNAVAILABLE in the envelope', async () => {
    const started = Date.now();
    const result = await lambdaTransport(client, 'hosting-fn', 'hosting', 300).send({ op: 'getApp', input: { appId: 'x' }, context: ctx });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(requests).toBeGreaterThanOrEqual(1);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
  }, 10_000);
});
