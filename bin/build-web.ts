// `npm run build:web`: bundles the plugin UIs (plugins-web/src) with esbuild into plugins-web/dist:
// index.html + shell.css, shell.js (the page at `/`) and elements.js (the custom elements alone, for
// any host page), sharing chunks. Prints each file's size. `--if-stale` builds only when dist is
// missing or older than the sources (what `npm start` runs); `--out DIR` builds elsewhere (the stack's synth). Fails if anything of the server
// (connectors, functions, zod, the AWS SDK) ends up in the bundle: the UIs import contract *types* only.
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const WEB_SRC = join(ROOT, 'plugins-web', 'src');
export const WEB_DIST = join(ROOT, 'plugins-web', 'dist');
const STATIC_FILES = ['index.html', 'shell.css'];
/** Inputs that must never be bundled: server code and server-only packages. */
const FORBIDDEN = [/^connectors\//, /^functions\//, /^bin\//, /^lib\//, /node_modules\/zod\//, /node_modules\/@aws-sdk\//, /node_modules\/@middy\//];

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/** Whether plugins-web/dist is missing or older than its sources (or this script, or the lockfile). */
export async function webIsStale(outDir = WEB_DIST): Promise<boolean> {
  const built = await stat(join(outDir, 'index.html')).then((s) => s.mtimeMs, () => 0);
  if (built === 0) return true;
  const sources = Math.max(await newestMtime(WEB_SRC), (await stat(fileURLToPath(import.meta.url))).mtimeMs, (await stat(join(ROOT, 'package-lock.json'))).mtimeMs);
  return sources > built;
}

/** Builds the UIs into `outDir` (replacing it) and answers the files with their sizes. */
export async function buildWeb(options: { outDir?: string; minify?: boolean } = {}): Promise<BuiltFile[]> {
  const outDir = options.outDir ?? WEB_DIST;
  // Build beside the target and swap, so a reader never sees a half-written folder for long.
  const tmpDir = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { shell: join(WEB_SRC, 'shell.ts'), elements: join(WEB_SRC, 'elements.ts') },
      outdir: tmpDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
      minify: options.minify ?? true,
      sourcemap: 'linked',
      chunkNames: 'chunks/[name]-[hash]',
      loader: { '.css': 'text' },
      legalComments: 'linked',
      metafile: true,
      logLevel: 'silent',
    });
    const leaked = Object.keys(result.metafile.inputs).filter((input) => FORBIDDEN.some((pattern) => pattern.test(input)));
    if (leaked.length > 0) throw new Error(`server code in the plugin UI bundle (import types only, with \`import type\`): ${leaked.join(', ')}`);
    for (const file of STATIC_FILES) await copyFile(join(WEB_SRC, file), join(tmpDir, file));
    await rm(outDir, { recursive: true, force: true });
    await rename(tmpDir, outDir);
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
  const files: BuiltFile[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (!/\.(map|LEGAL\.txt)$/.test(entry.name)) {
        const content = await readFile(path);
        files.push({ file: relative(outDir, path), bytes: content.length, gzipBytes: gzipSync(content).length });
      }
    }
  };
  await walk(outDir);
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function formatSizes(files: readonly BuiltFile[]): string {
  const width = Math.max(...files.map((f) => f.file.length), 5);
  const lines = files.map((f) => `  ${f.file.padEnd(width)}  ${kb(f.bytes).padStart(9)}  ${kb(f.gzipBytes).padStart(9)} gzip`);
  const total = files.reduce((sum, f) => ({ bytes: sum.bytes + f.bytes, gzip: sum.gzip + f.gzipBytes }), { bytes: 0, gzip: 0 });
  return [`plugins-web/dist`, ...lines, `  ${'total'.padEnd(width)}  ${kb(total.bytes).padStart(9)}  ${kb(total.gzip).padStart(9)} gzip`].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // `--out DIR`: build there instead (the stack's synth builds into its asset folder).
  const outFlag = process.argv.indexOf('--out');
  const outDir = outFlag >= 0 ? resolve(process.argv[outFlag + 1] ?? '') : undefined;
  if (process.argv.includes('--if-stale') && !(await webIsStale())) {
    console.log('plugins-web/dist is up to date');
  } else {
    console.log(formatSizes(await buildWeb({ outDir })));
  }
}
