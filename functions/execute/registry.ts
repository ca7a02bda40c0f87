// The plugin registry: `moz.platform.<name>` -> how to load its module. Adding a plugin is one line here.
// Each plugin is a chunk of the execute bundle, loaded on its first call (lib/lambda-bundle.ts): a cold
// container compiles the plugin it serves and builds its schemas, not those of all eight.
import type { Plugin } from './plugins/types.ts';

export type PluginLoader = () => Promise<Plugin>;

export const PLUGINS: ReadonlyMap<string, PluginLoader> = new Map<string, PluginLoader>([
  ['moz.platform.hosting', async () => (await import('./plugins/hosting.ts')).hostingPlugin],
  ['moz.platform.admin', async () => (await import('./plugins/admin.ts')).adminPlugin],
  ['moz.platform.discovery', async () => (await import('./plugins/discovery.ts')).discoveryPlugin],
  ['moz.platform.social', async () => (await import('./plugins/social.ts')).socialPlugin],
  ['moz.platform.community', async () => (await import('./plugins/community.ts')).communityPlugin],
  ['moz.platform.growth', async () => (await import('./plugins/growth.ts')).growthPlugin],
  ['moz.platform.funding', async () => (await import('./plugins/funding.ts')).fundingPlugin],
  ['moz.platform.dashboard', async () => (await import('./plugins/dashboard.ts')).dashboardPlugin],
]);
