// Serves the built plugin UIs in local mode. Small on purpose, but it faces a browser, so every
// path is resolved and checked against the root (including through symlinks) before any read.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const isInside = (root: string, path: string): boolean => path === root || path.startsWith(root + sep);

/** Resolves `urlPath` to a regular file under `rootDir`, or undefined if there is none (or it escapes). */
async function locate(rootDir: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? '');
  } catch {
    return undefined; // malformed %-escape
  }
  // NUL bytes and dot-segments (.., .env, .git) are never part of a built UI.
  if (decoded.includes('\0') || decoded.split(/[/\\]/).some((segment) => segment.startsWith('.'))) return undefined;

  const root = await realpath(resolve(rootDir)).catch(() => undefined);
  if (!root) return undefined;
  let candidate = resolve(root, `.${sep}${decoded}`);
  if (!isInside(root, candidate)) return undefined;
  try {
    if ((await stat(candidate)).isDirectory()) candidate = join(candidate, 'index.html');
    // A symlink inside the root may point anywhere: check where it really leads.
    const real = await realpath(candidate);
    return isInside(root, real) && (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Streams the file for `urlPath` from `rootDir`; resolves false (nothing written) when there is none. */
export async function serveStatic(rootDir: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  const file = await locate(rootDir, urlPath);
  if (!file) return false;
  const { size } = await stat(file);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-cache', // local builds change under the browser's feet
    'x-content-type-options': 'nosniff',
  });
  // Headers are out, so a read error can only cut the response; pipeline has already destroyed res.
  await pipeline(createReadStream(file), res).catch(() => undefined);
  return true;
}
