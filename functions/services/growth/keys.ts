// Growth's key layout, one table, tenant-first: a tenant's campaigns are `CAMP#<campaignId>` under its
// partition (time-ordered ids: newest first is reverse key order).
export { newId, tenantKey, tenantPk } from '#functions/shared/keys';

export const CAMPAIGN_PREFIX = 'CAMP#';
export const campaignSk = (campaignId: string) => CAMPAIGN_PREFIX + campaignId;
