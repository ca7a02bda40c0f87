// The Growth contract, written once and run over both tables (test/contract/growth.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorBundle } from '#connectors/loader';
import { codeOf, errorOf, tenantContext } from './contract-kit.ts';

export type MakeGrowthConnector = (adapters: { now: () => Date }) => Promise<ConnectorBundle['growth']>;

const draft = (over: Record<string, unknown> = {}) => ({
  appId: 'app_1',
  name: 'Spring launch',
  channel: 'email' as const,
  budgetCents: 10_000,
  goal: { metric: 'conversions' as const, target: 50 },
  ...over,
});

export function describeGrowthContract(name: string, make: MakeGrowthConnector): void {
  let growth: ConnectorBundle['growth'];
  let clock: Date | undefined;
  beforeAll(async () => {
    growth = await make({ now: () => clock ?? new Date() });
  });

  describe(`Growth connector contract: ${name}`, () => {
    it('creates a draft, reads it back, and lists newest first with filters', async () => {
      const ctx = tenantContext();
      const first = await growth.createCampaign(ctx, draft({ name: 'First' }));
      expect(first).toMatchObject({ status: 'draft', spentCents: 0, metrics: { impressions: 0, clicks: 0, conversions: 0 }, version: 1 });
      expect(await growth.getCampaign(ctx, { campaignId: first.campaignId })).toEqual(first);
      const second = await growth.createCampaign(ctx, draft({ name: 'Second', appId: 'app_2' }));
      await growth.moveCampaign(ctx, { campaignId: second.campaignId, move: 'launch' });
      expect((await growth.listCampaigns(ctx, {})).items.map((c) => c.name)).toEqual(['Second', 'First']);
      expect((await growth.listCampaigns(ctx, { status: 'draft' })).items.map((c) => c.name)).toEqual(['First']);
      expect((await growth.listCampaigns(ctx, { appId: 'app_2' })).items.map((c) => c.name)).toEqual(['Second']);
      expect(await codeOf(growth.getCampaign(tenantContext(), { campaignId: first.campaignId }))).toBe('NOT_FOUND');
    });

    it('refuses a schedule that ends before it starts, naming the field', async () => {
      const error = await errorOf(growth.createCampaign(tenantContext(), draft({ startAt: '2030-02-01T00:00:00Z', endAt: '2030-01-01T00:00:00Z' })));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual({ issues: [{ field: 'endAt', message: 'must be after startAt' }] });
    });

    it('edits a draft only, and clears a schedule date with null', async () => {
      const ctx = tenantContext();
      const campaign = await growth.createCampaign(ctx, draft({ startAt: '2030-01-01T00:00:00Z' }));
      const edited = await growth.updateCampaign(ctx, { campaignId: campaign.campaignId, name: 'Renamed', budgetCents: 20_000, startAt: null });
      expect(edited).toMatchObject({ name: 'Renamed', budgetCents: 20_000, version: 2 });
      expect(edited.startAt).toBeUndefined();
      expect(await codeOf(growth.updateCampaign(ctx, { campaignId: campaign.campaignId, expectedVersion: 1, name: 'Stale' }))).toBe('CONFLICT');
      await growth.moveCampaign(ctx, { campaignId: campaign.campaignId, move: 'launch' });
      const refused = await errorOf(growth.updateCampaign(ctx, { campaignId: campaign.campaignId, name: 'Too late' }));
      expect(refused).toMatchObject({ code: 'CONFLICT', details: { status: 'active' } });
    });

    it('moves through the lifecycle and refuses every other move with a 409 naming the status', async () => {
      const ctx = tenantContext();
      const { campaignId } = await growth.createCampaign(ctx, draft());
      const step = async (move: 'launch' | 'pause' | 'resume' | 'complete' | 'cancel') => (await growth.moveCampaign(ctx, { campaignId, move })).status;
      expect(await step('launch')).toBe('active');
      expect(await step('pause')).toBe('paused');
      const again = await errorOf(growth.moveCampaign(ctx, { campaignId, move: 'pause' }));
      expect(again).toMatchObject({ code: 'CONFLICT', details: { status: 'paused', move: 'pause' } });
      expect(again.message).toContain('paused');
      expect(await step('resume')).toBe('active');
      expect(await codeOf(growth.moveCampaign(ctx, { campaignId, move: 'cancel' }))).toBe('CONFLICT');
      expect(await step('complete')).toBe('completed');
      for (const move of ['launch', 'pause', 'resume', 'complete', 'cancel'] as const) {
        expect(await codeOf(growth.moveCampaign(ctx, { campaignId, move }))).toBe('CONFLICT');
      }
    });

    it('schedules a draft whose start lies ahead, then launches or cancels it', async () => {
      const ctx = tenantContext();
      clock = new Date('2030-01-01T00:00:00Z');
      try {
        const a = await growth.createCampaign(ctx, draft({ startAt: '2030-03-01T00:00:00Z' }));
        expect((await growth.moveCampaign(ctx, { campaignId: a.campaignId, move: 'launch' })).status).toBe('scheduled');
        expect((await growth.moveCampaign(ctx, { campaignId: a.campaignId, move: 'launch' })).status).toBe('active');
        const b = await growth.createCampaign(ctx, draft({ startAt: '2030-03-01T00:00:00Z' }));
        await growth.moveCampaign(ctx, { campaignId: b.campaignId, move: 'launch' });
        expect((await growth.moveCampaign(ctx, { campaignId: b.campaignId, move: 'cancel' })).status).toBe('canceled');
      } finally {
        clock = undefined;
      }
    });

    it('adds reports atomically, and refuses a report that would pass the budget whole', async () => {
      const ctx = tenantContext();
      const { campaignId } = await growth.createCampaign(ctx, draft({ budgetCents: 1_000 }));
      expect(await codeOf(growth.recordCampaignMetrics(ctx, { campaignId, clicks: 1 }))).toBe('CONFLICT');
      await growth.moveCampaign(ctx, { campaignId, move: 'launch' });
      const after = await growth.recordCampaignMetrics(ctx, { campaignId, impressions: 100, clicks: 10, conversions: 2, spendCents: 600 });
      expect(after).toMatchObject({ spentCents: 600, metrics: { impressions: 100, clicks: 10, conversions: 2 } });
      const refused = await errorOf(growth.recordCampaignMetrics(ctx, { campaignId, impressions: 5, clicks: 5, spendCents: 401 }));
      expect(refused).toMatchObject({ code: 'CONFLICT', details: { field: 'spendCents', budgetRemainingCents: 400 } });
      expect(await growth.getCampaign(ctx, { campaignId })).toMatchObject({ spentCents: 600, metrics: { impressions: 100, clicks: 10, conversions: 2 } });
      expect((await growth.recordCampaignMetrics(ctx, { campaignId, spendCents: 400 })).spentCents).toBe(1_000);
    });

    it('never spends past the budget when many reports arrive at once', async () => {
      const ctx = tenantContext();
      const { campaignId } = await growth.createCampaign(ctx, draft({ budgetCents: 150 }));
      await growth.moveCampaign(ctx, { campaignId, move: 'launch' });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => growth.recordCampaignMetrics(ctx, { campaignId, impressions: 3, clicks: 2, conversions: 1, spendCents: 10 })),
      );
      const accepted = results.filter((r) => r.status === 'fulfilled').length;
      expect(accepted).toBe(15);
      expect(await growth.getCampaign(ctx, { campaignId })).toMatchObject({ spentCents: 150, metrics: { impressions: 45, clicks: 30, conversions: 15 } });
    });

    it('derives the stats from the stored counts', async () => {
      const ctx = tenantContext();
      const { campaignId } = await growth.createCampaign(ctx, draft({ budgetCents: 5_000, goal: { metric: 'clicks', target: 40 } }));
      expect(await growth.getCampaignStats(ctx, { campaignId })).toMatchObject({ ctr: null, conversionRate: null, costPerConversionCents: null, goalProgress: 0 });
      await growth.moveCampaign(ctx, { campaignId, move: 'launch' });
      await growth.recordCampaignMetrics(ctx, { campaignId, impressions: 1_000, clicks: 30, conversions: 7, spendCents: 2_500 });
      expect(await growth.getCampaignStats(ctx, { campaignId })).toEqual({
        campaignId,
        status: 'active',
        impressions: 1_000,
        clicks: 30,
        conversions: 7,
        spentCents: 2_500,
        budgetCents: 5_000,
        ctr: 0.03,
        conversionRate: 0.2333,
        costPerConversionCents: 357,
        goalProgress: 0.75,
        budgetRemainingCents: 2_500,
      });
    });
  });
}
