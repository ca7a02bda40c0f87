// TXT lookups for domain verification: the system resolver on AWS, a JSON file locally
// (the local platform's POST /dev/dns writes it).
import { readFile } from 'node:fs/promises';
import { resolveTxt } from 'node:dns/promises';
import type { TxtResolver } from './operations.ts';

export const systemDns: TxtResolver = {
  async resolveTxt(name) {
    return (await resolveTxt(name)).map((chunks) => chunks.join(''));
  },
};

/** Reads `{ "<record name>": ["value", ...] }` on every lookup, so edits apply at once. */
export const fileDns = (path: string): TxtResolver => ({
  async resolveTxt(name) {
    const records = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Record<string, string[]>;
    return records[name] ?? [];
  },
});

