// moz.platform.funding (a stub until the Funding service lands).
import type { Plugin } from './types.ts';

export const fundingPlugin: Plugin = { name: 'moz.platform.funding', actions: {} };
