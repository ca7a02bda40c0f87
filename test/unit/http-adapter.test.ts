import { request, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody, toApiGatewayEvent, writeResult } from '#local/http-adapter';

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

// One real server: each test sets what the "handler" does with the event.
let server: Server;
let base: string;
let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const send = (
  path: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });

/** Captures the event built for one request (and answers 204). */
const captureEvent = async (path: string, options: Parameters<typeof send>[1] = {}): Promise<APIGatewayProxyEventV2> => {
  let event: APIGatewayProxyEventV2 | undefined;
  handle = async (req, res) => {
    const read = await readBody(req, 1024 * 1024);
    if (read.tooLarge) throw new Error('unexpected');
    event = toApiGatewayEvent(req, read.body, { routeKey: 'POST /api/execute' });
    writeResult(res, { statusCode: 204 });
  };
  await send(path, options);
  if (!event) throw new Error('no event captured');
  return event;
};

describe('toApiGatewayEvent', () => {
  it('builds a payload v2 event with the API Gateway shape', async () => {
    const before = Date.now();
    const event = await captureEvent('/api/execute?x=1&tag=a&tag=b&q=hello%20world', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Multi': ['one', 'two'],
        'User-Agent': 'vitest',
        Cookie: 'a=1; b=2',
        Authorization: 'Bearer t',
      },
      body: JSON.stringify({ op: 'x', input: { é: 'ü' } }),
    });

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/execute',
      rawPath: '/api/execute',
      rawQueryString: 'x=1&tag=a&tag=b&q=hello%20world',
      queryStringParameters: { x: '1', tag: 'a,b', q: 'hello world' },
      cookies: ['a=1', 'b=2'],
      isBase64Encoded: false,
      body: '{"op":"x","input":{"é":"ü"}}',
    });
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'x-multi': 'one,two',
      'user-agent': 'vitest',
      authorization: 'Bearer t',
    });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.pathParameters).toBeUndefined();

    const ctx = event.requestContext;
    expect(ctx).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      stage: '$default',
      routeKey: 'POST /api/execute',
      domainName: '127.0.0.1',
      http: { method: 'POST', path: '/api/execute', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
    });
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(ctx.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('omits body, cookies and query parameters when there are none; defaults routeKey to $default', async () => {
    let event: APIGatewayProxyEventV2 | undefined;
    handle = async (req, res) => {
      event = toApiGatewayEvent(req, Buffer.alloc(0));
      res.end();
    };
    await send('/plain');
    expect(event).toMatchObject({ routeKey: '$default', rawPath: '/plain', rawQueryString: '', isBase64Encoded: false });
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
  });

  it('base64-encodes non-text bodies', async () => {
    const bytes = Buffer.from([0, 255, 1, 2, 254]);
    const event = await captureEvent('/upload', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it.each(['text/plain', 'application/json; charset=utf-8', 'application/problem+json', 'application/x-www-form-urlencoded'])(
    'keeps %s as text',
    async (contentType) => {
      const event = await captureEvent('/t', { method: 'POST', headers: { 'content-type': contentType }, body: 'a=b' });
      expect(event).toMatchObject({ isBase64Encoded: false, body: 'a=b' });
    },
  );
});

describe('writeResult', () => {
  const replyTo = async (result: APIGatewayProxyStructuredResultV2 | string): Promise<Reply> => {
    handle = async (_req, res) => writeResult(res, result);
    return send('/r');
  };

  it('maps a structured result: status, headers, cookies, body', async () => {
    const reply = await replyTo({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-n': 5 },
      cookies: ['s=1; HttpOnly', 't=2'],
      body: '{"ok":true}',
    });
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['x-n']).toBe('5');
    expect(reply.headers['set-cookie']).toEqual(['s=1; HttpOnly', 't=2']);
    expect(reply.body.toString()).toBe('{"ok":true}');
  });

  it('decodes base64 bodies', async () => {
    const bytes = Buffer.from([1, 2, 3, 250]);
    const reply = await replyTo({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true });
    expect(reply.body).toEqual(bytes);
    expect(reply.headers['content-length']).toBe('4');
  });

  it('sends a string result as 200 application/json', async () => {
    const reply = await replyTo('{"hello":"world"}');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.body.toString()).toBe('{"hello":"world"}');
  });

  it('treats an object without statusCode as a JSON body, as API Gateway does', async () => {
    const reply = await replyTo({ body: 'x', headers: { a: 'b' } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body.toString())).toEqual({ body: 'x', headers: { a: 'b' } });
  });
});

describe('readBody', () => {
  const fakeRequest = (headers: Record<string, string> = {}): PassThrough & { headers: Record<string, string> } =>
    Object.assign(new PassThrough(), { headers });

  it('returns the whole body under the limit', async () => {
    const req = fakeRequest();
    const result = readBody(req, 10);
    req.write('hello');
    req.end(' you');
    await expect(result).resolves.toEqual({ tooLarge: false, body: Buffer.from('hello you') });
  });

  it('refuses up front when content-length exceeds the limit, reading nothing', async () => {
    const req = fakeRequest({ 'content-length': '11' });
    await expect(readBody(req, 10)).resolves.toEqual({ tooLarge: true });
    expect(req.listenerCount('data')).toBe(0);
  });

  it('stops reading a streamed body once it passes the limit', async () => {
    const req = fakeRequest();
    const result = readBody(req, 8);
    req.write('12345');
    req.write('67890'); // crosses the limit
    await expect(result).resolves.toEqual({ tooLarge: true });
    expect(req.listenerCount('data')).toBe(0);
    expect(req.isPaused()).toBe(true);
    req.write('more and more'); // nobody reads it: stays in the (bounded) stream buffer
    expect(req.readableLength).toBeGreaterThan(0);
  });

  it('rejects when the client goes away mid-upload', async () => {
    const req = fakeRequest();
    const result = readBody(req, 100);
    req.write('part');
    req.destroy();
    await expect(result).rejects.toThrow(/aborted/);
  });

  it('lets a real server answer 413 for an oversized upload', async () => {
    handle = async (req, res) => {
      const read = await readBody(req, 16);
      if (read.tooLarge) writeResult(res, { statusCode: 413, headers: { connection: 'close' }, body: 'too large' });
      else writeResult(res, { statusCode: 200, body: 'ok' });
    };
    await expect(send('/big', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(17) })).resolves.toMatchObject({
      status: 413,
    });
    await expect(send('/small', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(16) })).resolves.toMatchObject({
      status: 200,
    });
  });
});
