// moz.platform.social (a stub until the Social service lands).
import type { Plugin } from './types.ts';

export const socialPlugin: Plugin = { name: 'moz.platform.social', actions: {} };
