// Bridges Node's http server and the Lambda handlers: requests become API Gateway HTTP API
// (payload v2) events and handler results become responses, as API Gateway would do, so the
// handlers run locally exactly as deployed.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface EventOptions {
  /** e.g. 'POST /api/execute'; API Gateway puts the matched route here. Default '$default'. */
  readonly routeKey?: string;
  /** Clock in ms since epoch (tests). */
  readonly now?: number;
}

export type ReadBodyResult = { readonly tooLarge: false; readonly body: Buffer } | { readonly tooLarge: true };

/** API Gateway passes these as UTF-8 text; anything else (or no content type) arrives base64-encoded. */
const TEXT_TYPE = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|graphql)\b|application\/[\w.+-]+\+(json|xml)\b)/i;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** API Gateway's requestContext.time format: `12/Mar/2020:19:03:58 +0000`. */
function clfTime(date: Date): string {
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Lower-cased names, repeated headers joined with ',' (API Gateway v2 rule); cookies are split out. */
function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const list = values.get(name) ?? [];
    list.push(rawHeaders[i + 1] ?? '');
    values.set(name, list);
  }
  const cookies = (values.get('cookie') ?? [])
    .flatMap((header) => header.split(';'))
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  values.delete('cookie');
  return { headers: Object.fromEntries([...values].map(([name, list]) => [name, list.join(',')])), cookies };
}

/** Query parameters decoded; a repeated key becomes 'a,b' as in API Gateway v2. */
function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  return params;
}

/** Builds the payload-v2 event. `pathParameters` is left to the caller's router. */
export function toApiGatewayEvent(req: IncomingMessage, body: Buffer, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1).split('#')[0] ?? '';
  const { headers, cookies } = collectHeaders(req.rawHeaders);
  const now = options.now ?? Date.now();
  const routeKey = options.routeKey ?? '$default';
  const domainName = (headers['host'] ?? 'localhost').replace(/:\d+$/, '');
  const queryStringParameters = parseQuery(rawQueryString);
  const isText = TEXT_TYPE.test(headers['content-type'] ?? '');

  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: clfTime(new Date(now)),
      timeEpoch: now,
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/**
 * Reads the request body up to `limitBytes`. Past the limit it stops reading and returns
 * `{ tooLarge: true }` instead of buffering an unbounded upload; the caller should answer 413 with
 * `connection: close` (the unread rest of the upload is then discarded with the socket).
 */
export function readBody(req: Readable & { headers: IncomingHttpHeaders }, limitBytes: number): Promise<ReadBodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.pause();
    return Promise.resolve({ tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        req.pause();
        chunks.length = 0;
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ tooLarge: false, body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    // 'close' before 'end' means the client went away mid-upload.
    const onClose = (): void => onError(new Error('request aborted by the client'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Writes a handler's result the way API Gateway v2 interprets it: a structured result
 * (has `statusCode`) maps field by field; anything else (a string, or an object without
 * `statusCode`) is sent as a 200 application/json body.
 */
export function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2 | string): void {
  if (typeof result !== 'object' || result === null || result.statusCode === undefined) {
    const body = typeof result === 'string' ? result : JSON.stringify(result) ?? '';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies && result.cookies.length > 0) res.setHeader('set-cookie', result.cookies);
  res.setHeader('content-length', body.length);
  res.writeHead(result.statusCode);
  res.end(body);
}

/** Text made safe to put in the HTML the local pages write (dev checkout, the OIDC stand-in). */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
