// `npm run dev`: the local platform that follows your edits. One DynamoDB Local runs for the whole
// session (its data survives every reload); the platform itself runs in a child process that is
// replaced whenever a file of the handlers, services, contracts or local platform changes; a change
// under plugins-web/src rebuilds the UIs (the server reads them from disk, so a browser refresh shows
// them). Prints how long each reload took. Same variables as `npm start` (PORT, HOST, MOZAIKS_*).
import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb, WEB_DIST, WEB_SRC } from './build-web.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { DEFAULT_RESTART_POLICY, JavaMissingError, startDynamoDbLocal } = await import('./local/dynamodb-local.ts');

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** What the platform process runs: a change here replaces it. */
const SERVER_SOURCES = ['functions', 'connectors', 'bin/local', 'bin/local.ts'].map((path) => join(ROOT, path));
const DEBOUNCE_MS = 40;
const dataDir = resolve(process.env.MOZAIKS_DATA_DIR || '.local');
const webDir = resolve(process.env.MOZAIKS_WEB_DIR || WEB_DIST);
const managed = process.env.MOZAIKS_MANAGED !== 'false';

const say = (message: string) => console.log(`dev: ${message}`);

// DynamoDB Local once for the session, restarted on its data if it dies (as `npm start` does).
let ddb: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
if (managed) {
  try {
    ddb = await startDynamoDbLocal({
      dataDir: join(dataDir, 'dynamodb'),
      restart: DEFAULT_RESTART_POLICY,
      onEvent: (event) => {
        if (event.type === 'exit') say(`DynamoDB Local exited (${event.signal ?? event.code})${event.restarting ? '; restarting it on the same data' : ''}`);
        if (event.type === 'gave-up') say(`DynamoDB Local is down for good: ${event.error.message}`);
      },
    });
  } catch (error) {
    if (error instanceof JavaMissingError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  say(`DynamoDB Local (pid ${ddb.pid}) on ${ddb.endpoint}, data in ${join(dataDir, 'dynamodb')}`);
}

await buildWeb({ outDir: webDir, minify: false });

let child: ChildProcess | undefined;
let generation = 0;

/** Starts the platform process; resolves once it listens (it prints `listening on`). */
function startPlatform(): Promise<void> {
  const started = Date.now();
  generation += 1;
  const quiet = generation > 1; // the banner once; afterwards one line per reload
  const next = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/local.ts')], {
    cwd: ROOT,
    env: { ...process.env, MOZAIKS_WEB_DIR: webDir, ...(ddb && { MOZAIKS_DYNAMODB_ENDPOINT: ddb.endpoint }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = next;
  return new Promise((ready) => {
    let output = '';
    next.stdout!.on('data', (chunk: Buffer) => {
      if (!quiet) process.stdout.write(chunk);
      if (output.includes('listening on')) return;
      output += chunk.toString();
      if (output.includes('listening on')) {
        say(`${quiet ? 'reloaded' : 'started'} (platform pid ${next.pid}) in ${Date.now() - started} ms`);
        ready();
      }
    });
    next.once('exit', (code, signal) => {
      if (child === next && !stopping) say(`the platform exited (${signal ?? code}); fix the error and save again`);
      ready();
    });
  });
}

function stopPlatform(): Promise<void> {
  const current = child;
  child = undefined;
  if (!current || current.exitCode !== null || current.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    // It flushes its meter and closes its server on SIGTERM; a process stuck starting up gets SIGKILL.
    const kill = setTimeout(() => current.kill('SIGKILL'), 5_000);
    current.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    current.kill('SIGTERM');
  });
}

// Changes arrive in bursts (an editor writes, renames, touches): act once per burst, one at a time.
let pending = { server: false, web: false };
let timer: NodeJS.Timeout | undefined;
let running = Promise.resolve();
let stopping = false;

function onChange(kind: 'server' | 'web', file: string): void {
  if (stopping || /(^|\/)(\.|#)|~$|\.tmp-/.test(file)) return;
  pending[kind] = true;
  clearTimeout(timer);
  timer = setTimeout(() => {
    const work = pending;
    pending = { server: false, web: false };
    running = running.then(async () => {
      if (work.web) {
        const started = Date.now();
        await buildWeb({ outDir: webDir, minify: false }).then(
          () => say(`UI rebuilt in ${Date.now() - started} ms (refresh the page)`),
          (error: unknown) => say(`UI build failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
      if (work.server) {
        await stopPlatform();
        await startPlatform();
      }
    });
  }, DEBOUNCE_MS);
}

for (const source of SERVER_SOURCES) {
  watch(source, { recursive: true }, (_event, file) => onChange('server', relative(ROOT, join(source, file ?? ''))));
}
watch(WEB_SRC, { recursive: true }, (_event, file) => onChange('web', file ?? ''));

await startPlatform();
say(`watching ${SERVER_SOURCES.map((path) => relative(ROOT, path)).join(', ')} and ${relative(ROOT, WEB_SRC)}; Ctrl+C stops`);

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  await running; // a reload in progress ends first, so its new process is stopped too
  await stopPlatform();
  await ddb?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
