// The Growth page (<moz-platform-growth>, shell route #/growth, "Campaigns") in a real browser (harness:
// test/support/browser.ts): the seeded campaign and its stats with the chart, creating a draft for the
// demo app, launching it, a 409 naming the status, the budget's field error. Every view: axe-core, no console error.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

describe('growth page in a browser', () => {
  const browser = useBrowser('growth');
  const { signIn, checkAccessibility, shoot } = browser;
  const growth = () => browser.page.locator('moz-platform-growth');
  const rows = () => growth().locator('table.campaigns tbody tr');
  const rowWith = (name: string) => rows().filter({ has: browser.page.getByRole('button', { name, exact: true }) });
  const name = `Browser test campaign ${Date.now()}`;

  it('lists the seeded campaign', async () => {
    await signIn('demo', 'demo-owner', ['owner']);
    await browser.page.goto(`${browser.platform.url}/#/growth`);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Campaigns');
    await expect.poll(() => rowWith('Launch week').count()).toBe(1);
    const row = rowWith('Launch week');
    expect(await row.locator('.status').textContent()).toBe('active');
    expect(await row.locator('td').nth(2).textContent()).toBe('social');
    expect(await row.locator('.spent').textContent()).toBe('$186 of $500');
    await checkAccessibility('growth list');
    await shoot('16-growth-list');
  });

  it('filters by status', async () => {
    await growth().getByLabel('Status').selectOption('draft');
    await expect.poll(() => growth().locator('p.empty').textContent()).toMatch(/No draft campaigns/);
    await growth().getByLabel('Status').selectOption('active');
    await expect.poll(() => rowWith('Launch week').count()).toBe(1);
    await growth().getByLabel('Status').selectOption('');
    await expect.poll(() => rowWith('Launch week').count()).toBe(1);
  });

  it('opens the seeded campaign: its stats and the chart', async () => {
    await rowWith('Launch week').getByRole('button', { name: 'Launch week' }).click();
    await expect.poll(() => growth().locator('#campaign-title').textContent()).toMatch(/Launch week/);
    const stat = (key: string) => growth().locator(`[data-stat="${key}"]`).textContent();
    await expect.poll(() => stat('ctr')).toBe('5.00%'); // 620 / 12400
    expect(await stat('conversionRate')).toBe('7.74%'); // 48 / 620
    expect(await stat('costPerConversion')).toBe('$3.88'); // 18600 / 48 = 387.5 -> 388 cents
    expect(await stat('goalProgress')).toBe('24.0%'); // 48 / 200
    expect(await stat('budgetRemaining')).toBe('$314');
    const chart = growth().locator('moz-campaign-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    expect(await chart.locator('[role="img"]').getAttribute('aria-label')).toMatch(/Impressions: 12,400; Clicks: 620; Conversions: 48/);
    expect(await chart.locator('tbody tr').allTextContents()).toEqual(['Impressions12,400', 'Clicks620', 'Conversions48']);
    // Active: pause and complete, no launch or edit.
    const lifecycle = growth().getByRole('group', { name: 'Campaign lifecycle' });
    expect(await lifecycle.getByRole('button').allTextContents().then((t) => t.map((s) => s.trim()))).toEqual(['Pause', 'Complete']);
    await checkAccessibility('growth stats');
    await shoot('17-growth-stats');
    await growth().getByRole('button', { name: '← All campaigns' }).click();
    await expect.poll(() => rowWith('Launch week').count()).toBe(1);
  });

  it('a budget of 0 shows the field error beside the budget', async () => {
    browser.expectFailures(/status of 400/);
    await growth().getByRole('button', { name: 'New campaign' }).click();
    await expect.poll(() => growth().getByLabel('App').locator('option').allTextContents()).toContain('Demo app');
    await growth().getByLabel('Name').fill(name);
    await growth().getByLabel('Budget (USD)').fill('0');
    await growth().getByLabel('Goal target').fill('50');
    await growth().getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => growth().locator('#create-budget-error').count()).toBe(1);
    expect(await growth().getByLabel('Budget (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(await rowWith(name).count()).toBe(0);
    await checkAccessibility('growth field error');
  });

  it('creates a draft for the demo app, sees it listed, edits and launches it; a 409 names the status', async () => {
    await growth().getByLabel('Channel').selectOption('email');
    await growth().getByLabel('Budget (USD)').fill('120.50');
    await growth().getByLabel('Goal metric').selectOption('clicks');
    await growth().getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => rowWith(name).count()).toBe(1);
    const row = rowWith(name);
    expect(await row.locator('.status').textContent()).toBe('draft');
    expect(await row.locator('.spent').textContent()).toBe('$0 of $120.50');
    expect(await row.locator('td').nth(1).textContent()).toBe('Demo app');

    const campaignId = await row.getAttribute('data-campaign');
    await row.getByRole('button', { name }).click();
    await expect.poll(() => growth().locator('#campaign-title').textContent()).toMatch(/draft/);
    const lifecycle = growth().getByRole('group', { name: 'Campaign lifecycle' });
    expect(await lifecycle.getByRole('button').allTextContents().then((t) => t.map((s) => s.trim()))).toEqual(['Launch', 'Cancel campaign', 'Edit draft']);
    // A new campaign: no counts yet.
    await expect.poll(() => growth().locator('[data-stat="ctr"]').textContent()).toBe('–');
    expect(await growth().locator('[data-stat="goalProgress"]').textContent()).toBe('0.00%');

    // Edit the draft: a bigger budget.
    await lifecycle.getByRole('button', { name: 'Edit draft' }).click();
    await growth().getByLabel('Budget (USD)').fill('200');
    await growth().getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => growth().locator('dl').textContent()).toMatch(/\$0 spent of \$200/);
    await checkAccessibility('growth draft');

    await lifecycle.getByRole('button', { name: 'Launch' }).click();
    await expect.poll(() => growth().locator('#campaign-title .status').textContent()).toBe('active');
    expect(await growth().getByRole('status').filter({ hasText: 'is now active' }).count()).toBe(1);
    expect(await lifecycle.getByRole('button').allTextContents().then((t) => t.map((s) => s.trim()))).toEqual(['Pause', 'Complete']);

    // Paused behind the page's back: pausing again is a 409, shown as a notice naming the status.
    const url = browser.platform.url;
    const { token } = (await (await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'demo-owner', tenantId: 'demo', roles: ['owner'] }) })).json()) as { token: string };
    const paused = await fetch(`${url}/api/execute/moz.platform.growth`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'pause_campaign', campaignId }),
    });
    expect(paused.status).toBe(200);
    browser.expectFailures(/status of 409/);
    await lifecycle.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => growth().locator('.notice.error').textContent()).toMatch(/while the campaign is paused/);
    await expect.poll(() => growth().locator('#campaign-title .status').textContent()).toBe('paused');
    expect(await lifecycle.getByRole('button').allTextContents().then((t) => t.map((s) => s.trim()))).toEqual(['Resume', 'Complete']);
    await checkAccessibility('growth conflict');
    await lifecycle.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => growth().locator('#campaign-title .status').textContent()).toBe('active');

    await growth().getByRole('button', { name: '← All campaigns' }).click();
    await expect.poll(() => rowWith(name).locator('.status').textContent()).toBe('active');
    await checkAccessibility('growth list after launch');
  });
});
