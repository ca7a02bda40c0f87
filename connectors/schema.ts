// Shared zod/mini building blocks for contracts and action inputs.
// zod/mini keeps Lambda bundles small (ARCHITECTURE.md, "Conventions"); the English locale makes
// its messages say what was expected ("expected string, received number") instead of "Invalid input".
// Importers use `import * as z from 'zod/mini'` themselves: re-exporting the namespace from here
// would defeat tree-shaking and pull every zod locale into each bundle (measured: +400 KB).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { invalid } from './wire.ts';

z.config(en());

export const id = () => z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));
export const isoTime = () => z.string();

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

/** Turns zod issues into `field: message` pairs a caller can act on. */
export function describeIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
}

/** Parses or throws VALIDATION_FAILED naming every offending field. */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, value: unknown, what = 'input'): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error);
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw invalid(`Invalid ${what}: ${summary}`, { issues });
}
