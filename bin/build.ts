// `npm run build`: bundles each Lambda entry the way the stack does (lib/lambda-bundle.ts) into dist/,
// and prints what a cold start loads (the entry and its static chunks) against the whole bundle, with
// the biggest packages on that cold path, so an accidental heavy import shows up before it costs cold starts.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { SERVICE_NAMES } from '#connectors/contracts/registry';
import { EXECUTE_ENTRY, serviceEntry } from '#lib/entries';
import { bundleBytes, bundleLambda, coldStartOutputs } from '#lib/lambda-bundle';

const entries = [EXECUTE_ENTRY, ...SERVICE_NAMES.map(serviceEntry)];
await mkdir('dist', { recursive: true });

for (const entry of entries) {
  const name = entry.replace(/^functions\//, '').replace(/\/handler\.ts$/, '').replaceAll('/', '-');
  await rm(`dist/${name}`, { recursive: true, force: true });
  const metafile = await bundleLambda({ entryPoints: { index: entry } }, `dist/${name}`);
  await writeFile(`dist/${name}/meta.json`, JSON.stringify(metafile));
  const byPackage = new Map<string, number>();
  for (const file of coldStartOutputs(metafile)) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[file]!.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? '(project)';
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
  const bytes = bundleBytes(metafile);
  console.log(`${name}: ${(bytes.coldStart / 1024).toFixed(0)} KB loaded at a cold start, ${(bytes.total / 1024).toFixed(0)} KB in all`);
  for (const [pkg, size] of top) console.log(`  ${pkg.padEnd(40)} ${(size / 1024).toFixed(1)} KB`);
}
