// The plugin registry: `moz.platform.<name>` -> its module. Adding a plugin is one line here.
import { adminPlugin } from './plugins/admin.ts';
import { communityPlugin } from './plugins/community.ts';
import { dashboardPlugin } from './plugins/dashboard.ts';
import { discoveryPlugin } from './plugins/discovery.ts';
import { fundingPlugin } from './plugins/funding.ts';
import { growthPlugin } from './plugins/growth.ts';
import { hostingPlugin } from './plugins/hosting.ts';
import { socialPlugin } from './plugins/social.ts';
import type { Plugin } from './plugins/types.ts';

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map([hostingPlugin, adminPlugin, discoveryPlugin, socialPlugin, communityPlugin, growthPlugin, fundingPlugin, dashboardPlugin].map((plugin) => [plugin.name, plugin]));
