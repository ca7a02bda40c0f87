// Plans and what they unlock (SERVICES.md, "Plans"): plain data shared by the Billing service and
// the execute runtime. `null` means unlimited.

export const PLAN_TIERS = ['free', 'starter', 'premium', 'business', 'enterprise'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export const FEATURES = ['custom_domains', 'growth_campaigns', 'priority_support', 'funding_rounds', 'custom_roles'] as const;
export type Feature = (typeof FEATURES)[number];

export const LIMITS = ['apps', 'domains', 'team_members', 'api_calls'] as const;
export type LimitName = (typeof LIMITS)[number];

export interface Plan {
  tier: PlanTier;
  /** Monthly price in cents. */
  priceCents: number;
  limits: Record<LimitName, number | null>;
  features: readonly Feature[];
}

export const PLANS: Readonly<Record<PlanTier, Plan>> = {
  free: { tier: 'free', priceCents: 0, limits: { apps: 1, domains: 0, team_members: 3, api_calls: 10_000 }, features: [] },
  starter: { tier: 'starter', priceCents: 1_900, limits: { apps: 3, domains: 1, team_members: 5, api_calls: 100_000 }, features: ['custom_domains'] },
  premium: {
    tier: 'premium',
    priceCents: 4_900,
    limits: { apps: 10, domains: 5, team_members: 20, api_calls: 1_000_000 },
    features: ['custom_domains', 'growth_campaigns', 'priority_support'],
  },
  business: {
    tier: 'business',
    priceCents: 19_900,
    limits: { apps: 50, domains: 20, team_members: 100, api_calls: 10_000_000 },
    features: ['custom_domains', 'growth_campaigns', 'priority_support', 'funding_rounds', 'custom_roles'],
  },
  enterprise: { tier: 'enterprise', priceCents: 99_900, limits: { apps: null, domains: null, team_members: null, api_calls: null }, features: FEATURES },
};

export const PAST_DUE_GRACE_DAYS = 7;

/** First instant of the calendar month (UTC) of `at`, and of the next one: the metering period. */
export function monthOf(at: Date): { periodStart: Date; periodEnd: Date } {
  const periodStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const periodEnd = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { periodStart, periodEnd };
}
