import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JavaMissingError, assertJava, findFreePort, startDynamoDbLocal } from '#local/dynamodb-local';

describe('Java detection', () => {
  const originalPath = process.env['PATH'];
  let binDir: string;

  beforeEach(async () => {
    binDir = await mkdtemp(join(tmpdir(), 'mozaiks-fake-java-'));
    process.env['PATH'] = binDir; // only our fake (or nothing) is on PATH
  });
  afterEach(async () => {
    process.env['PATH'] = originalPath;
    await rm(binDir, { recursive: true, force: true });
  });

  const fakeJava = async (versionLine: string, exitCode = 0): Promise<void> => {
    const script = join(binDir, 'java');
    await writeFile(script, `#!/bin/sh\necho '${versionLine}' >&2\nexit ${exitCode}\n`);
    await chmod(script, 0o755);
  };

  it('throws JavaMissingError with one actionable line when java is not on PATH', async () => {
    const error = await startDynamoDbLocal({ dataDir: join(binDir, 'data') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JavaMissingError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('Java 17+');
    expect(message).toContain('apt-get install -y openjdk-17-jre-headless');
    expect(message).toContain('MOZAIKS_MANAGED=false npm start');
  });

  it('rejects a Java older than 17, old and new version schemes', async () => {
    await fakeJava('java version "1.8.0_402"');
    await expect(assertJava()).rejects.toThrow(/found Java 8/);
    await fakeJava('openjdk version "11.0.22" 2024-01-16');
    await expect(assertJava()).rejects.toThrow(/found Java 11/);
  });

  it('accepts Java 17 and later', async () => {
    await fakeJava('openjdk version "21.0.2" 2024-01-16');
    await expect(assertJava()).resolves.toBeUndefined();
  });

  it('reports a java that fails to run', async () => {
    await fakeJava('broken', 3);
    await expect(assertJava()).rejects.toBeInstanceOf(JavaMissingError);
  });
});

describe('findFreePort', () => {
  it('returns a port that can be bound', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((done, fail) => server.once('error', fail).listen(port, '127.0.0.1', done));
    await new Promise((done) => server.close(done));
  });
});
