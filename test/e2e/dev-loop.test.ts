// `npm run dev`: a saved change to a handler replaces the platform process (DynamoDB Local and its data
// stay), a saved change to a UI source rebuilds the UIs; each prints how long it took.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '#local/dynamodb-local';

let dev: ChildProcess;
let output = '';
let dataDir: string;
let url: string;

/** Resolves with the first match of `pattern` in the output after `from`. */
const waitFor = (pattern: RegExp, from: number, timeoutMs = 30_000) =>
  new Promise<RegExpExecArray>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const match = pattern.exec(output.slice(from));
      if (match) {
        clearInterval(poll);
        resolve(match);
      } else if (Date.now() - started > timeoutMs || dev.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`no ${pattern} in:\n${output.slice(from)}`));
      }
    }, 50);
  });

const touch = (path: string) => utimes(path, new Date(), new Date());
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-dev-'));
  const port = await findFreePort();
  dev = spawn(process.execPath, ['--import', 'tsx', 'bin/dev.ts'], {
    env: { ...process.env, PORT: String(port), MOZAIKS_DATA_DIR: dataDir, MOZAIKS_WEB_DIR: join(dataDir, 'web') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout!.on('data', (chunk) => (output += chunk));
  dev.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor(/dev: watching/, 0, 90_000);
  url = `http://localhost:${port}`;
}, 120_000);

afterAll(async () => {
  if (dev.exitCode === null) {
    dev.kill('SIGTERM');
    await new Promise((done) => dev.once('exit', done));
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run dev', () => {
  it('reloads the platform on a handler change, keeping DynamoDB Local and the data, and rebuilds the UIs on a UI change', async () => {
    const [, ddbPid] = (await waitFor(/DynamoDB Local \(pid (\d+)\)/, 0)) as unknown as [string, string];
    const [, firstPid] = (await waitFor(/started \(platform pid (\d+)\)/, 0)) as unknown as [string, string];

    const { token } = (await (await fetch(`${url}/dev/token`, { method: 'POST', body: JSON.stringify({ sub: 'dev-u', tenantId: 'dev-loop', roles: ['owner'] }), headers: { 'content-type': 'application/json' } })).json()) as { token: string };
    const call = (body: unknown) =>
      fetch(`${url}/api/execute/moz.platform.hosting`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    expect((await call({ action: 'create_app', name: 'Kept', slug: 'kept' })).ok).toBe(true);

    const mark = output.length;
    await touch('functions/services/hosting/operations.ts');
    const [, newPid, ms] = (await waitFor(/reloaded \(platform pid (\d+)\) in (\d+) ms/, mark)) as unknown as [string, string, string];
    console.log(`npm run dev: a handler change was live in ${ms} ms`);
    expect(newPid).not.toBe(firstPid);
    expect(isAlive(Number(firstPid))).toBe(false);
    expect(isAlive(Number(ddbPid))).toBe(true);
    expect(output.slice(mark)).not.toMatch(/DynamoDB Local \(pid/);
    // The same token (the dev key is on disk) and the same data after the reload.
    expect((await call({ action: 'list_apps' })).data.items.map((app: { slug: string }) => app.slug)).toContain('kept');

    const uiMark = output.length;
    await touch('plugins-web/src/ui.ts');
    const [, uiMs] = (await waitFor(/UI rebuilt in (\d+) ms/, uiMark)) as unknown as [string, string];
    console.log(`npm run dev: a UI change was rebuilt in ${uiMs} ms`);
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect(output.slice(uiMark)).not.toMatch(/reloaded/);
  }, 90_000);

  // SIGTERM, not SIGINT: a shell without job control starts background jobs with SIGINT ignored, and CI may run so.
  it('stops DynamoDB Local and the platform when told to (SIGTERM; Ctrl+C does the same)', async () => {
    const [, ddbPid] = (await waitFor(/DynamoDB Local \(pid (\d+)\)/, 0)) as unknown as [string, string];
    const exited = new Promise((done) => dev.once('exit', done));
    dev.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((done) => setTimeout(() => done('still running'), 50_000))]);
    expect(code, output.slice(-2_000)).toBe(0);
    await expect.poll(() => isAlive(Number(ddbPid)), { timeout: 10_000 }).toBe(false);
  }, 70_000);
});
