// The stack builds the plugin UIs at synth (as it bundles the Lambdas), so a deploy ships the current
// UIs whether or not plugins-web/dist exists, and publishes config.json beside them.
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { PluginsSite } from '#lib/plugins-site';

describe('PluginsSite', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('builds the UIs from plugins-web/src into its asset and publishes config.json with them', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'mozaiks-site-'));
    dirs.push(outdir);
    const app = new App({ outdir });
    const stack = new Stack(app, 'Site');
    const site = new PluginsSite(stack, 'PluginsSite');
    site.publishConfig({ apiUrl: 'https://api.example.com', signIn: 'oidc', issuer: 'https://id.example.com', clientId: 'c', tenantClaim: 'tenantId', rolesClaim: 'roles' });
    app.synth();

    const files = readdirSync(join(outdir, site.files.assetPath), { recursive: true }).map(String);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'shell.css', 'shell.js', 'elements.js']));
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    // Two sources: the built UIs and config.json.
    const deployment = Object.values(Template.fromStack(stack).findResources('Custom::CDKBucketDeployment'))[0]!;
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
  }, 60_000);
});
