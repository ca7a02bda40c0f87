// `npm run build`: bundles each Lambda entry the way the stack does (ESM, minified, source maps, node22)
// into dist/, and prints each bundle's size and its biggest inputs from esbuild's metafile,
// so an accidental heavy import shows up before it costs cold starts.
import { mkdir, writeFile } from 'node:fs/promises';
import { SERVICE_NAMES } from '#connectors/contracts/registry';
import { EXECUTE_ENTRY, serviceEntry } from '#lib/entries';
import { bundleLambda } from './lambda-bundle.ts';

const entries = [EXECUTE_ENTRY, ...SERVICE_NAMES.map(serviceEntry)];
await mkdir('dist', { recursive: true });

for (const entry of entries) {
  const name = entry.replace(/^functions\//, '').replace(/\/handler\.ts$/, '').replaceAll('/', '-');
  const result = await bundleLambda({ entryPoints: [entry] }, `dist/${name}/index.mjs`);
  await writeFile(`dist/${name}/meta.json`, JSON.stringify(result.metafile));
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'))!;
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output[1].inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? '(project)';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`${name}: ${(output[1].bytes / 1024).toFixed(0)} KB`);
  for (const [pkg, bytes] of top) console.log(`  ${pkg.padEnd(40)} ${(bytes / 1024).toFixed(1)} KB`);
}
