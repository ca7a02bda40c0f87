// The response envelope of /api/*: `{ ok, data | error, correlationId }`, the status from the
// blueprint's error table, and the correlation id on every response and log line. A 5xx never
// shows its internals: the caller gets a generic message, the log gets the detail.
import { randomUUID } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { PlatformError, httpStatusFor, type WireError } from '#connectors/contracts/wire';
import type { Logger } from '#functions/shared/logger';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTED_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id if it is safe to log, else a fresh one. */
export function correlationIdOf(event: APIGatewayProxyEventV2): string {
  const given = event.headers?.[CORRELATION_HEADER];
  return given && ACCEPTED_CORRELATION_ID.test(given) ? given : randomUUID();
}

export function respond(statusCode: number, body: Record<string, unknown>, correlationId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', [CORRELATION_HEADER]: correlationId, 'cache-control': 'no-store' },
    body: JSON.stringify({ ...body, correlationId }),
  };
}

export const success = (data: unknown, correlationId: string) => respond(200, { ok: true, data }, correlationId);

/** Middy's own HTTP errors (bad JSON, wrong content type, unknown route) in our vocabulary. */
function fromMiddyError(error: { statusCode: number; message: string }): PlatformError {
  if (error.statusCode === 404) return new PlatformError('NOT_FOUND', 'No such route');
  if (error.statusCode === 415) {
    return new PlatformError('VALIDATION_FAILED', 'body: expected a JSON object sent with content-type application/json', {
      issues: [{ field: '(body)', message: 'expected a JSON object sent with content-type application/json' }],
    });
  }
  return new PlatformError('VALIDATION_FAILED', 'The request is not valid');
}

export function toWireError(error: unknown): WireError {
  if (error instanceof PlatformError) return error.toWire();
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return fromMiddyError(error as { statusCode: number; message: string }).toWire();
  return { code: 'INTERNAL', message: 'Internal error' };
}

/** The request's context once the envelope has decided its correlation id (middy hands the context to every route). */
export type RequestContext = Context & { correlationId: string };

/** The correlation id the envelope decided for this request. */
export const correlationIdFrom = (context: Context): string => (context as Partial<RequestContext>).correlationId ?? randomUUID();

export function envelope(logger: Logger): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: (request) => {
      // Decided once, here, and kept in the request's context; the event stays as the caller sent it.
      (request.context as RequestContext).correlationId = correlationIdOf(request.event);
    },
    onError: (request) => {
      const correlationId = correlationIdFrom(request.context);
      const error = toWireError(request.error);
      if (error.code === 'INTERNAL') logger.error('request failed', { correlationId, error: request.error as Error });
      else logger.info('request refused', { correlationId, code: error.code });
      request.response = respond(httpStatusFor(error.code), { ok: false, error }, correlationId);
    },
  };
}
