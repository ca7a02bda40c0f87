// moz.platform.community (a stub until the Community service lands).
import type { Plugin } from './types.ts';

export const communityPlugin: Plugin = { name: 'moz.platform.community', actions: {} };
