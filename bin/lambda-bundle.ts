// The esbuild settings of a Lambda bundle, as the stack's HouseFunction uses them (ESM, minified,
// node22, the AWS SDK bundled): `npm run build` and `npm run bench` (which compares load times with a
// bundle of the SDK client alone, built the same way) share them.
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { UNLESS_SDK_TRACING } from '#functions/shared/sdk-tracing';

export async function bundleLambda(input: Pick<BuildOptions, 'entryPoints' | 'stdin'>, outfile: string): Promise<{ metafile: Metafile }> {
  const result = await build({
    ...input,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: 'external',
    metafile: true,
    mainFields: ['module', 'main'],
    outfile,
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
    // As the stack bundles by default (sdkTracing off): Powertools Tracer is not in the bundle.
    external: [...UNLESS_SDK_TRACING],
  });
  return { metafile: result.metafile! };
}
