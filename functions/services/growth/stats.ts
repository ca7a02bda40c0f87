// The numbers get_campaign_stats derives from a campaign's stored counts: pure, so they are tested alone.
import type { Campaign } from '#connectors/contracts/growth';

/** A fraction with 4 decimals, or null when the denominator is 0. */
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function statsOf(campaign: Campaign) {
  const { impressions, clicks, conversions } = campaign.metrics;
  const goalCount = campaign.goal.metric === 'clicks' ? clicks : conversions;
  return {
    campaignId: campaign.campaignId,
    status: campaign.status,
    impressions,
    clicks,
    conversions,
    spentCents: campaign.spentCents,
    budgetCents: campaign.budgetCents,
    ctr: ratio(clicks, impressions),
    conversionRate: ratio(conversions, clicks),
    costPerConversionCents: conversions === 0 ? null : Math.round(campaign.spentCents / conversions),
    goalProgress: ratio(goalCount, campaign.goal.target) ?? 0,
    budgetRemainingCents: campaign.budgetCents - campaign.spentCents,
  };
}
