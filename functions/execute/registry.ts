// The plugin registry: `moz.platform.<name>` -> its module. Adding a plugin is one line here.
import { adminPlugin } from './plugins/admin.ts';
import { hostingPlugin } from './plugins/hosting.ts';
import type { Plugin } from './plugins/types.ts';

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map([hostingPlugin, adminPlugin].map((plugin) => [plugin.name, plugin]));
