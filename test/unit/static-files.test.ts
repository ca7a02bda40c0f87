import { createServer, request, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '#local/static-files';

let top: string;
let root: string;
let server: Server;
let port: number;

beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), 'mozaiks-static-'));
  root = join(top, 'www');
  await mkdir(join(root, 'app', 'assets'), { recursive: true });
  await writeFile(join(top, 'secret.txt'), 'TOP SECRET');
  await writeFile(join(root, 'index.html'), '<h1>root</h1>');
  await writeFile(join(root, 'app', 'index.html'), '<h1>app</h1>');
  await writeFile(join(root, 'app', 'assets', 'main.js'), 'console.log(1)');
  await writeFile(join(root, 'app', 'assets', 'main.js.map'), '{}');
  await writeFile(join(root, 'app', 'assets', 'logo.svg'), '<svg/>');
  await writeFile(join(root, 'app', 'assets', 'style.css'), 'a{}');
  await writeFile(join(root, 'app', 'data.json'), '{"a":1}');
  await writeFile(join(root, 'app', 'pic.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(root, 'app', 'blob.bin'), 'x');
  await writeFile(join(root, '.env'), 'KEY=1');
  await symlink(join(top, 'secret.txt'), join(root, 'leak.txt'));
  await symlink(top, join(root, 'up'));

  server = createServer((req, res) => {
    serveStatic(root, req.url ?? '/', res).then((served) => {
      if (!served) {
        res.writeHead(404);
        res.end('not found');
      }
    }, (error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(top, { recursive: true, force: true });
});

// Raw paths: http.request sends them verbatim (unlike fetch/URL, which would normalise '..').
const get = (path: string): Promise<{ status: number; type: string | undefined; body: string }> =>
  new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    })
      .on('error', reject)
      .end();
  });

describe('serveStatic', () => {
  it.each([
    ['/app/assets/main.js', 'text/javascript; charset=utf-8'],
    ['/app/assets/main.js.map', 'application/json; charset=utf-8'],
    ['/app/assets/logo.svg', 'image/svg+xml'],
    ['/app/assets/style.css', 'text/css; charset=utf-8'],
    ['/app/data.json', 'application/json; charset=utf-8'],
    ['/app/pic.png', 'image/png'],
    ['/app/blob.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const reply = await get(path);
    expect(reply.status).toBe(200);
    expect(reply.type).toBe(type);
  });

  it('serves index.html for directories, with or without a trailing slash, ignoring the query', async () => {
    await expect(get('/')).resolves.toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<h1>root</h1>' });
    await expect(get('/app')).resolves.toMatchObject({ status: 200, body: '<h1>app</h1>' });
    await expect(get('/app/?v=2')).resolves.toMatchObject({ status: 200, body: '<h1>app</h1>' });
    await expect(get('/app/assets/main.js?v=3')).resolves.toMatchObject({ status: 200, body: 'console.log(1)' });
  });

  it('returns false for missing files and directories without index.html', async () => {
    await expect(get('/nope.js')).resolves.toMatchObject({ status: 404 });
    await expect(get('/app/assets/')).resolves.toMatchObject({ status: 404 });
  });

  it.each([
    '/../secret.txt',
    '/app/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/app/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/leak.txt', // symlink pointing outside the root
    '/up/secret.txt', // symlinked directory pointing outside
    '/.env', // dotfiles are never served
    '/index.html%00.js',
    '/%E0%A4%A', // malformed escape
  ])('refuses %s', async (path) => {
    const reply = await get(path);
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('SECRET');
  });

  it('returns false when the root itself does not exist', async () => {
    const res = { writeHead: () => { throw new Error('must not write'); } } as never;
    await expect(serveStatic(join(top, 'missing'), '/index.html', res)).resolves.toBe(false);
  });
});
