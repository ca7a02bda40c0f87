import { describe, expect, it } from 'vitest';
import { addMonths, checkOf, effectivePlan, percentageOf } from '#functions/services/billing/plan-rules';

const now = new Date('2031-05-15T12:00:00.000Z');
const hoursFromNow = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
const premium = { plan: 'premium' as const, status: 'active' as const, cancelAtPeriodEnd: false, currentPeriodEnd: hoursFromNow(24 * 10) };

describe('effectivePlan (fixed clock)', () => {
  it('grants the plan while trialing or active, nothing when inactive', () => {
    expect(effectivePlan(premium, now)).toBe('premium');
    expect(effectivePlan({ ...premium, status: 'trialing' }, now)).toBe('premium');
    expect(effectivePlan({ ...premium, status: 'inactive' }, now)).toBe('free');
  });

  it('keeps a past_due plan for 7 days after pastDueSince, free from then on', () => {
    const pastDue = { ...premium, status: 'past_due' as const };
    expect(effectivePlan({ ...pastDue, pastDueSince: hoursFromNow(-(7 * 24 - 1)) }, now)).toBe('premium');
    expect(effectivePlan({ ...pastDue, pastDueSince: hoursFromNow(-7 * 24) }, now)).toBe('free');
    expect(effectivePlan({ ...pastDue, pastDueSince: hoursFromNow(-30 * 24) }, now)).toBe('free');
    // Without a start of the arrears the grace period starts now.
    expect(effectivePlan(pastDue, now)).toBe('premium');
  });

  it('keeps a cancelled plan until currentPeriodEnd, free at and after it', () => {
    for (const cancelled of [{ ...premium, cancelAtPeriodEnd: true }, { ...premium, status: 'canceled' as const }]) {
      expect(effectivePlan({ ...cancelled, currentPeriodEnd: hoursFromNow(1) }, now)).toBe('premium');
      expect(effectivePlan({ ...cancelled, currentPeriodEnd: now.toISOString() }, now)).toBe('free');
      expect(effectivePlan({ ...cancelled, currentPeriodEnd: hoursFromNow(-1) }, now)).toBe('free');
      expect(effectivePlan({ ...cancelled, currentPeriodEnd: undefined }, now)).toBe('free');
    }
  });

  it('applies both limits when a cancelled subscription is also past due', () => {
    const both = { ...premium, status: 'past_due' as const, cancelAtPeriodEnd: true, pastDueSince: hoursFromNow(-8 * 24) };
    expect(effectivePlan(both, now)).toBe('free');
    expect(effectivePlan({ ...both, pastDueSince: hoursFromNow(-1) }, now)).toBe('premium');
  });
});

describe('addMonths', () => {
  it('keeps day and time, clamped to the end of a shorter month', () => {
    expect(addMonths(new Date('2031-05-15T12:34:56.789Z'), 1).toISOString()).toBe('2031-06-15T12:34:56.789Z');
    expect(addMonths(new Date('2031-01-31T08:00:00Z'), 1).toISOString()).toBe('2031-02-28T08:00:00.000Z');
    expect(addMonths(new Date('2032-01-31T08:00:00Z'), 1).toISOString()).toBe('2032-02-29T08:00:00.000Z');
    expect(addMonths(new Date('2031-12-20T00:00:00Z'), 1).toISOString()).toBe('2032-01-20T00:00:00.000Z');
  });
});

describe('percentageOf', () => {
  it('is used/limit*100 with two decimals, null when unlimited', () => {
    expect(percentageOf(2505, 10_000)).toBe(25.05);
    expect(percentageOf(1, 3)).toBe(33.33);
    expect(percentageOf(2, 3)).toBe(66.67);
    expect(percentageOf(12_000, 10_000)).toBe(120);
    expect(percentageOf(5, null)).toBeNull();
  });
});

describe('checkOf', () => {
  it('decides flags on the plan, api_calls on usage, counted limits on the limit alone', () => {
    expect(checkOf('free', 'funding_rounds', 0)).toEqual({
      feature: 'funding_rounds',
      allowed: false,
      limit: null,
      usage: null,
      reason: 'Your plan "free" does not include funding_rounds',
    });
    expect(checkOf('business', 'funding_rounds', 0)).toEqual({ feature: 'funding_rounds', allowed: true, limit: null, usage: null });
    expect(checkOf('free', 'api_calls', 9_999)).toEqual({ feature: 'api_calls', allowed: true, limit: 10_000, usage: 9_999 });
    expect(checkOf('free', 'api_calls', 10_000)).toMatchObject({ allowed: false, limit: 10_000, usage: 10_000 });
    expect(checkOf('enterprise', 'api_calls', 10 ** 9)).toEqual({ feature: 'api_calls', allowed: true, limit: null, usage: 10 ** 9 });
    expect(checkOf('free', 'domains', 0)).toMatchObject({ allowed: false, limit: 0, usage: null, reason: 'Your plan "free" allows no domains' });
    expect(checkOf('starter', 'domains', 0)).toEqual({ feature: 'domains', allowed: true, limit: 1, usage: null });
    expect(checkOf('enterprise', 'team_members', 0)).toEqual({ feature: 'team_members', allowed: true, limit: null, usage: null });
  });
});
