// CORS for the local platform, with the same rules the stack gives API Gateway (`CORS_RULES`), so a
// host app on another origin can embed the plugin elements against `npm start` as it would on AWS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORS_RULES, parseOrigins } from '#connectors/contracts/wire';

/** Parses MOZAIKS_CORS_ORIGINS (comma-separated origins such as http://localhost:5173); names a bad entry. */
export const parseCorsOrigins = (value: string | undefined): string[] => parseOrigins(value, 'MOZAIKS_CORS_ORIGINS');

/**
 * Adds the CORS headers for an allowed Origin and answers preflights. Returns true when the request
 * was a preflight and has been answered. A foreign origin gets no CORS headers (the browser blocks it).
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && allowedOrigins.includes(origin);
  res.setHeader('vary', 'origin');
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', CORS_RULES.exposeHeaders.join(','));
  }
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', CORS_RULES.allowMethods.join(','));
    res.setHeader('access-control-allow-headers', CORS_RULES.allowHeaders.join(','));
    res.setHeader('access-control-max-age', String(CORS_RULES.maxAgeSeconds));
  }
  res.writeHead(204);
  res.end();
  return true;
}
