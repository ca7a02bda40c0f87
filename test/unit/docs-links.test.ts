// Every relative link in the README and docs/ must lead to a file in the repository (and, with a
// #fragment into a Markdown file, to one of its headings): a clone has nothing outside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsIn = (file: string): Set<string> =>
  new Set([...readFileSync(file, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1]!)));

/** Markdown links and images outside code blocks: [text](target) or ![alt](target). */
function linksIn(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

describe.each(documents)('%s', (document) => {
  const file = join(root, document);
  const relativeLinks = linksIn(file).filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));

  it('has links to check', () => expect(linksIn(file).length).toBeGreaterThan(0));

  it.each(relativeLinks)('links to %s, which exists', (target) => {
    const [path, fragment] = target.split('#') as [string, string | undefined];
    const destination = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    expect(relative(root, destination).startsWith('..'), `${target} leaves the repository`).toBe(false);
    expect(existsSync(destination), `${target} does not exist`).toBe(true);
    if (fragment && destination.endsWith('.md')) expect([...anchorsIn(destination)]).toContain(fragment);
  });
});
