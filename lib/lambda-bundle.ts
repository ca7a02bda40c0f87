// One esbuild configuration for every Lambda bundle: the stack's functions (built at synth by
// HouseFunction), `npm run build` and `npm run bench` (which compares load times against a bundle of
// the SDK client alone, built the same way).
//
// Code splitting: every dynamic `import()` becomes a chunk that Node loads only when the import runs.
// A cold start then compiles only the entry and the chunks it imports statically; the AWS SDK's
// credential chains for other environments (SSO, INI files, STS, the sign-in client; Lambda's come from
// the environment), Powertools Tracer (without `sdkTracing`) and the Stripe SDK (without that provider)
// stay on disk. Measured with `npm run bench` (README, "Performance").
import { build, buildSync, type BuildOptions, type Metafile } from 'esbuild';

export type BundleInput = Pick<BuildOptions, 'entryPoints' | 'stdin'>;

/** The entry is `index.mjs` (Lambda handler `index.handler`); chunks go to `chunks/`. */
export const ENTRY_FILE = 'index.mjs';

const options = (input: BundleInput, outdir: string): BuildOptions => ({
  ...input,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  // Stack traces need positions only; embedded sources would roughly double each .map, which Node
  // reads when it loads the code under --enable-source-maps.
  sourcemap: 'external',
  sourcesContent: false,
  metafile: true,
  // esbuild's ESM output has no `require`; CommonJS dependencies bundled into it still call it.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});

/** Bundles one Lambda into `outdir` (`index.mjs` plus its chunks). */
export async function bundleLambda(input: BundleInput, outdir: string): Promise<Metafile> {
  return (await build(options(input, outdir))).metafile!;
}

/** The same, synchronously: CDK's local bundling (`tryBundle`) cannot wait for a promise. */
export function bundleLambdaSync(input: BundleInput, outdir: string): Metafile {
  return buildSync(options(input, outdir)).metafile!;
}

/**
 * The output files a cold start loads: the entry and every chunk it reaches by static imports.
 * Chunks reached only through dynamic `import()` load when that import runs.
 */
export function coldStartOutputs(metafile: Metafile): string[] {
  const entry = Object.keys(metafile.outputs).find((file) => file.endsWith(`/${ENTRY_FILE}`) || file === ENTRY_FILE);
  if (!entry) throw new Error(`no ${ENTRY_FILE} among the bundle's outputs`);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...seen];
}

/** The source files compiled at a cold start (the inputs of `coldStartOutputs`). */
export const coldStartInputs = (metafile: Metafile): string[] => [
  ...new Set(coldStartOutputs(metafile).flatMap((file) => Object.keys(metafile.outputs[file]!.inputs))),
];

/** Bytes of JavaScript a cold start loads, and of all the bundle's JavaScript. */
export function bundleBytes(metafile: Metafile): { coldStart: number; total: number } {
  const js = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const cold = new Set(coldStartOutputs(metafile));
  return {
    coldStart: js.filter(([file]) => cold.has(file)).reduce((sum, [, output]) => sum + output.bytes, 0),
    total: js.reduce((sum, [, output]) => sum + output.bytes, 0),
  };
}
