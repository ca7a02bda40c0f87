// moz.platform.dashboard: `get_overview`, the caller's landing page, read from every service at once.
// Each section is one call to one service, all started together (one round of invokes), each with its
// own deadline: a section that fails or is too slow comes back `unavailable` with the reason and the
// rest still answers. A section the caller's roles or plan do not allow is marked so, never an error.
import * as z from 'zod/mini';
import type { Feature } from '#connectors/contracts/plans';
import { hasGrant, type Permission } from '#connectors/contracts/permissions';
import { PlatformError } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import type { Caller, TenantPlan } from '../access.ts';
import { action, type Plugin } from './types.ts';

/** How long the overview waits for any one section. */
export const SECTION_DEADLINE_MS = 2500;

interface SectionDefinition {
  readonly permission: Permission;
  readonly feature?: Feature;
  readonly load: (ctx: Caller, connectors: ConnectorBundle, plan: TenantPlan) => Promise<unknown>;
}

export type Section =
  | { status: 'ok'; data: unknown }
  | { status: 'unavailable'; reason: string }
  | { status: 'not_allowed'; reason: string };

/** The overview's sections, in the order a person reads them. Adding one is one entry. */
export const SECTIONS: Readonly<Record<string, SectionDefinition>> = {
  apps: { permission: 'read:hosting', load: (ctx, { hosting }) => hosting.getOverview(ctx, {}) },
  plan: {
    permission: 'read:billing',
    load: async (ctx, { billing, identity }, plan) => {
      const [usage, users] = await Promise.all([billing.getUsage(ctx, {}), identity.countUsers(ctx, {})]);
      return { plan: plan.plan, features: plan.features, limits: plan.limits, periodEnd: usage.periodEnd, usage: { ...usage.metrics, team_members: users.count } };
    },
  },
  messages: {
    permission: 'read:community',
    load: async (ctx, { community }) => {
      // The 20 most recently active conversations: what a person sees first, at one bounded read.
      const { items, nextCursor } = await community.listConversations(ctx, { limit: 20 });
      const unread = items.filter((conversation) => conversation.unreadCount > 0);
      return { unreadMessages: unread.reduce((sum, conversation) => sum + conversation.unreadCount, 0), unreadConversations: unread, more: nextCursor !== undefined };
    },
  },
  fundingPositions: { permission: 'read:funding', load: (ctx, { funding }) => funding.myPositions(ctx, { limit: 10 }) },
  fundingRounds: {
    permission: 'read:funding',
    feature: 'funding_rounds',
    load: (ctx, { funding }) => funding.listRounds(ctx, { limit: 10 }),
  },
  campaigns: {
    permission: 'read:growth',
    feature: 'growth_campaigns',
    load: (ctx, { growth }) => growth.listCampaigns(ctx, { status: 'active', limit: 10 }),
  },
};

const timeout = (ms: number) =>
  new Promise<never>((_, reject) => {
    setTimeout(() => reject(new PlatformError('UPSTREAM_UNAVAILABLE', `no answer within ${ms} ms`)), ms).unref();
  });

/** One section: not allowed, or loaded within the deadline, or unavailable with a reason fit for the caller. */
async function sectionOf(definition: SectionDefinition, ctx: Caller, connectors: ConnectorBundle, plan: TenantPlan, deadlineMs: number): Promise<Section> {
  if (!hasGrant(ctx.permissions, definition.permission)) return { status: 'not_allowed', reason: `needs the ${definition.permission} permission` };
  if (definition.feature && !plan.features.includes(definition.feature)) return { status: 'not_allowed', reason: `your plan does not include ${definition.feature}` };
  try {
    return { status: 'ok', data: await Promise.race([definition.load(ctx, connectors, plan), timeout(deadlineMs)]) };
  } catch (error) {
    // Only our own error vocabulary reaches the caller; anything else stays in the logs.
    const reason = error instanceof PlatformError && error.code !== 'INTERNAL' ? error.message : 'the service failed';
    return { status: 'unavailable', reason };
  }
}

/** The dashboard plugin, with its sections and deadline (tests give their own). */
export function createDashboardPlugin(sections = SECTIONS, deadlineMs = SECTION_DEADLINE_MS): Plugin {
  return {
    name: 'moz.platform.dashboard',
    actions: {
      get_overview: action({
        description: 'Your apps and deployments, plan and usage, unread messages, funding and active campaigns, in one answer',
        permission: 'read:dashboard',
        input: z.strictObject({}),
        run: async (ctx, _input, connectors, plan) => {
          const names = Object.keys(sections);
          const loaded = await Promise.all(names.map((name) => sectionOf(sections[name]!, ctx, connectors, plan, deadlineMs)));
          return { generatedAt: new Date().toISOString(), sections: Object.fromEntries(names.map((name, i) => [name, loaded[i]])) };
        },
      }),
    },
  };
}

export const dashboardPlugin = createDashboardPlugin();
