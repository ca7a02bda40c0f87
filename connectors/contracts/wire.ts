// The wire contract between a connector and a service Lambda (ARCHITECTURE.md, "The wire contract").
// Everything here crosses a JSON boundary, so it stays plain data.

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FEATURE_NOT_IN_PLAN',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'QUOTA_EXCEEDED',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Who is calling and under which correlation id; injected by the execute runtime, never taken from a body. */
export interface CallContext {
  tenantId: string;
  userId: string;
  roles: string[];
  correlationId: string;
  /** The caller's display name from Identity, for services that show authors without asking Identity per item. */
  displayName?: string;
}

/**
 * The context of a call the platform makes on its own behalf, not a user's (cache fills, metering):
 * `system:<purpose>` names it in the services' logs and can never be a user id a token carries.
 */
export const systemContext = (tenantId: string, purpose: string, correlationId: string): CallContext => ({
  tenantId,
  userId: `system:${purpose}`,
  roles: [],
  correlationId,
});

/** The payload a connector sends to a service handler (Lambda Invoke or in-process). */
export interface ServiceRequest {
  op: string;
  input: unknown;
  context: CallContext;
}

/** A business failure that travels as a result, never as a Lambda error. */
export class PlatformError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PlatformError';
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string) => new PlatformError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new PlatformError('CONFLICT', message, details);
export const invalid = (message: string, details?: unknown) => new PlatformError('VALIDATION_FAILED', message, details);

const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FEATURE_NOT_IN_PLAN: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  QUOTA_EXCEEDED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const httpStatusFor = (code: ErrorCode): number => HTTP_STATUS[code];

/** Which cross-origin calls the API accepts from an allowed origin: API Gateway's CORS on AWS, the local platform's locally. */
export const CORS_RULES = {
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'x-correlation-id', 'x-mozaiks-app-key'],
  exposeHeaders: ['x-correlation-id'],
  maxAgeSeconds: 600,
} as const;

/** A comma-separated list of browser origins (scheme://host[:port]); throws naming the setting and the bad entry. */
export function parseOrigins(value: string | undefined, setting: string): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      if (!url || url.origin !== entry || !/^https?:$/.test(url.protocol)) {
        throw new Error(`${setting}: "${entry}" is not an origin (scheme://host[:port], no path), e.g. http://localhost:5173`);
      }
      return entry;
    });
}
