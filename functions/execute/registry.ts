// The plugin registry: `moz.platform.<name>` -> how to load its module. Adding a plugin is one line here.
// Each plugin is a chunk of the execute bundle, loaded on its first call (lib/lambda-bundle.ts): a cold
// container compiles the plugin it serves and builds its schemas, not those of all eight.
import type { Plugin } from './plugins/types.ts';

export type PluginLoader = () => Promise<Plugin>;

/**
 * Imports once and keeps the plugin: `import()` of a loaded module still resolves its specifier on
 * every call (under tsx, the local platform, a round trip to the loader thread). A failed import is
 * tried again on the next call.
 */
function once(load: () => Promise<Plugin>): PluginLoader {
  let loaded: Promise<Plugin> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
}

export const PLUGINS: ReadonlyMap<string, PluginLoader> = new Map<string, PluginLoader>([
  ['moz.platform.hosting', once(async () => (await import('./plugins/hosting.ts')).hostingPlugin)],
  ['moz.platform.admin', once(async () => (await import('./plugins/admin.ts')).adminPlugin)],
  ['moz.platform.discovery', once(async () => (await import('./plugins/discovery.ts')).discoveryPlugin)],
  ['moz.platform.social', once(async () => (await import('./plugins/social.ts')).socialPlugin)],
  ['moz.platform.community', once(async () => (await import('./plugins/community.ts')).communityPlugin)],
  ['moz.platform.growth', once(async () => (await import('./plugins/growth.ts')).growthPlugin)],
  ['moz.platform.funding', once(async () => (await import('./plugins/funding.ts')).fundingPlugin)],
  ['moz.platform.dashboard', once(async () => (await import('./plugins/dashboard.ts')).dashboardPlugin)],
]);
