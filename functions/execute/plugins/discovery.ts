// moz.platform.discovery (a stub until the Discovery service lands).
import type { Plugin } from './types.ts';

export const discoveryPlugin: Plugin = { name: 'moz.platform.discovery', actions: {} };
