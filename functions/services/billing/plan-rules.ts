// Billing's pure rules: which plan applies now, and what a plan allows. No I/O, no clock of its own:
// every function takes `now`, so the rules are tested with a fixed clock.
import type { Subscription } from '#connectors/contracts/billing';
import { PAST_DUE_GRACE_DAYS, PLANS, type Feature, type LimitName, type PlanTier } from '#connectors/contracts/plans';

const DAY_MS = 86_400_000;

type PlanState = Pick<Subscription, 'plan' | 'status' | 'cancelAtPeriodEnd' | 'currentPeriodEnd' | 'pastDueSince'>;

/**
 * The plan a subscription grants at `now`. `trialing`/`active` grant their plan; `past_due` keeps it
 * for PAST_DUE_GRACE_DAYS after `pastDueSince`; a cancellation (requested or done) keeps it until
 * `currentPeriodEnd`; `inactive` grants nothing. Whatever is not granted falls back to `free`.
 */
export function effectivePlan(subscription: PlanState, now: Date): PlanTier {
  const { plan, status, cancelAtPeriodEnd, currentPeriodEnd, pastDueSince } = subscription;
  if (status === 'inactive') return 'free';
  if (status === 'canceled' || cancelAtPeriodEnd) {
    // Without a period end there is nothing left to honour.
    if (currentPeriodEnd === undefined || now.getTime() >= Date.parse(currentPeriodEnd)) return 'free';
  }
  if (status === 'past_due') {
    const since = pastDueSince === undefined ? now.getTime() : Date.parse(pastDueSince);
    if (now.getTime() >= since + PAST_DUE_GRACE_DAYS * DAY_MS) return 'free';
  }
  return plan;
}

/** The same day and time `months` calendar months later (UTC), clamped to the month's last day. */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(at.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return target;
}

/** Share of a limit used, in percent with two decimals; null when unlimited. */
export function percentageOf(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit <= 0) return used > 0 ? 100 : 0;
  return Math.round((used / limit) * 10_000) / 100;
}

export interface FeatureCheck {
  feature: string;
  allowed: boolean;
  limit: number | null;
  usage: number | null;
  reason?: string;
}

/**
 * Whether `plan` allows a feature flag or a limit. `api_calls` is decided on this month's usage;
 * apps, domains and team members are counted by their own services, so only the limit is given.
 */
export function checkOf(plan: PlanTier, feature: Feature | LimitName, apiCallsUsed: number): FeatureCheck {
  const { features, limits } = PLANS[plan];
  if (feature === 'api_calls') {
    const limit = limits.api_calls;
    const allowed = limit === null || apiCallsUsed < limit;
    return {
      feature,
      allowed,
      limit,
      usage: apiCallsUsed,
      ...(!allowed && { reason: `Your plan "${plan}" allows ${limit} api_calls a month and they are used up` }),
    };
  }
  if (feature === 'apps' || feature === 'domains' || feature === 'team_members') {
    const limit = limits[feature];
    const allowed = limit === null || limit > 0;
    return { feature, allowed, limit, usage: null, ...(!allowed && { reason: `Your plan "${plan}" allows no ${feature}` }) };
  }
  const allowed = features.includes(feature);
  return { feature, allowed, limit: null, usage: null, ...(!allowed && { reason: `Your plan "${plan}" does not include ${feature}` }) };
}
