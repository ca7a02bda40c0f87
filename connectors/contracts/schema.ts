// Shared zod/mini building blocks for contracts and action inputs.
// zod/mini keeps Lambda bundles small (ARCHITECTURE.md, "Conventions"); the English locale makes
// its messages say what was expected ("expected string, received number") instead of "Invalid input".
// Importers use `import * as z from 'zod/mini'` themselves: re-exporting the namespace from here
// would defeat tree-shaking and pull every zod locale into each bundle (measured: +400 KB).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { invalid } from './wire.ts';

z.config(en());

/**
 * A schema (or a shape of schemas) built on its first use, then kept: contracts declare their entities
 * this way so loading a contract builds nothing (README, "Performance"). Refer to it as `app()`.
 */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

export const id = () => z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));
export const isoTime = () => z.string();

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** Whether a URL may be shown to people as a link: https anywhere, http only to this machine (local use). */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname));
  } catch {
    return false;
  }
}
/** A URL the UIs will render as a link: never `javascript:`, `data:` or plain http to another host. */
export const webUrl = () =>
  z.string().check(z.maxLength(2000), z.refine(isWebUrl, 'expected an https: URL (http: only for localhost)'));

/** Lists take `limit` (1..100, default 20) and an opaque `cursor` (SERVICES.md, "Who is calling"). */
export const pageInput = {
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};

export const page = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

export interface FieldIssue {
  field: string;
  message: string;
}

/** An error answer stays small whatever the body held: at most this many issues, each this long. */
export const MAX_ISSUES = 20;
const MAX_ISSUE_TEXT = 200;
const clip = (text: string) => (text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text);

/** Turns zod issues into `field: message` pairs a caller can act on (the first MAX_ISSUES). */
export function describeIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    field: clip(issue.path.length > 0 ? issue.path.join('.') : '(body)'),
    message: clip(issue.message),
  }));
}

/** Parses or throws VALIDATION_FAILED naming the offending fields (`issueCount` says how many there were in all). */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, value: unknown, what = 'input'): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error);
  const issueCount = parsed.error.issues.length;
  const shown = issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`);
  const more = issueCount > shown.length ? `; and ${issueCount - shown.length} more` : '';
  throw invalid(`Invalid ${what}: ${shown.join('; ')}${more}`, { issues, issueCount });
}
