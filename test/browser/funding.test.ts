// The Funding page (<moz-platform-funding>, shell route #/funding) in a real browser (harness:
// test/support/browser.ts): the seeded round with its raised-vs-target chart and pledges; a draft round
// for the demo app (field errors first), edited and opened; an investor of another, free tenant (the
// upgrade prompt for rounds) who looks it up by id, pledges (400 and 409 first) and cancels one pledge;
// the owner who sees the pledge, closes the round (a 409 when it closed meanwhile) and records revenue;
// the investor's payout and its chart; a free owner's upgrade link. Every view: axe-core, no console error.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

describe('funding page in a browser', () => {
  const browser = useBrowser('funding');
  const { signIn, tabTo, checkAccessibility, shoot } = browser;
  const funding = () => browser.page.locator('moz-platform-funding');
  const rows = () => funding().locator('table.rounds tbody tr');
  const rowWith = (name: string) => rows().filter({ has: browser.page.getByRole('button', { name, exact: true }) });
  const tab = (name: string) => funding().getByRole('navigation', { name: 'Funding sections' }).getByRole('button', { name, exact: true });
  const lifecycle = () => funding().getByRole('group', { name: 'Round lifecycle' });
  const buttons = async (locator: ReturnType<typeof lifecycle>) => (await locator.getByRole('button').allTextContents()).map((t) => t.trim());
  const stamp = Date.now().toString(36);
  const name = `Browser test round ${stamp}`;
  const investorTenant = `investors-${stamp}`;
  let roundId = '';

  /** Signs out through the shell first: the harness's signIn checks for "Sign out" before the shell has rendered it. */
  const switchUser = async (tenantId: string, userId: string, roles: string[]) => {
    await browser.page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => browser.page.getByLabel('Tenant').count()).toBe(1);
    await signIn(tenantId, userId, roles);
  };

  const openFunding = async () => {
    await browser.page.goto(`${browser.platform.url}/#/funding`);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Funding');
  };

  /** Runs an action as the demo owner behind the page's back. */
  const asDemoOwner = async (body: Record<string, unknown>) => {
    const url = browser.platform.url;
    const { token } = (await (await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'demo-owner', tenantId: 'demo', roles: ['owner'] }) })).json()) as { token: string };
    return fetch(`${url}/api/execute/moz.platform.funding`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };

  it('the demo owner sees the seeded round, filters, and opens it: raised against target, pledges', async () => {
    await signIn('demo', 'demo-owner', ['owner']);
    const nav = browser.page.getByRole('navigation', { name: 'Plugins' });
    expect((await nav.getByRole('link').allTextContents()).slice(-2)).toEqual(['Funding', 'Admin']);
    await openFunding();
    await expect.poll(() => funding().getByRole('navigation', { name: 'Funding sections' }).getByRole('button').allTextContents()).toEqual(['Your rounds', 'Invest', 'Your positions', 'Payouts']);
    expect(await tab('Your rounds').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => rowWith('Demo seed round').count()).toBe(1);
    const row = rowWith('Demo seed round');
    expect(await row.locator('.status').textContent()).toBe('open');
    expect(await row.locator('td').nth(1).textContent()).toBe('Demo app');
    expect(await row.locator('.raised').textContent()).toBe('$3,000 of $50,000'); // 250,000 + 50,000 cents
    expect(await row.locator('.pledge-count').textContent()).toBe('2');
    expect(await funding().getByRole('button', { name: 'New round' }).count()).toBe(1);
    await checkAccessibility('funding rounds');
    await shoot('18-funding-rounds');

    await funding().getByLabel('Status').selectOption('draft');
    await expect.poll(() => funding().locator('p.empty').textContent()).toMatch(/No draft rounds/);
    await funding().getByLabel('Status').selectOption('open');
    await expect.poll(() => rowWith('Demo seed round').count()).toBe(1);
    await funding().getByLabel('Status').selectOption('');
    await expect.poll(() => rowWith('Demo seed round').count()).toBe(1);

    await row.getByRole('button', { name: 'Demo seed round' }).click();
    await expect.poll(() => funding().locator('#round-title').textContent()).toMatch(/Demo seed round/);
    const chart = funding().locator('moz-round-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    expect(await chart.locator('[role="img"]').getAttribute('aria-label')).toMatch(/^Raised \$3,000 of the \$50,000 target \(6%\)/);
    expect(await chart.locator('tbody tr').allTextContents()).toEqual(['Raised$3,000', 'Target$50,000']);
    expect(await funding().locator('dl').textContent()).toMatch(/5% of net revenue until investors get 2× what they pledged/);
    expect(await buttons(lifecycle())).toEqual(['Close round', 'Cancel round']);
    const pledges = funding().locator('table.pledges tbody tr');
    await expect.poll(() => pledges.count()).toBe(2);
    expect(await pledges.filter({ hasText: 'demo-investors' }).locator('.amount').textContent()).toBe('$2,500');
    await checkAccessibility('funding round');
    await shoot('19-funding-round');
    await funding().getByRole('button', { name: '← All rounds' }).click();
    await expect.poll(() => rowWith('Demo seed round').count()).toBe(1);
  });

  it('a draft round: field errors beside their fields first, then created, edited and opened', async () => {
    browser.expectFailures(/status of 400/);
    await funding().getByRole('button', { name: 'New round' }).click();
    await expect.poll(() => funding().getByLabel('App', { exact: true }).locator('option').allTextContents()).toContain('Demo app');
    await funding().getByLabel('Name').fill(name);
    await funding().getByLabel('Target (USD)').fill('1000');
    await funding().getByLabel('Minimum pledge (USD)').fill('5000');
    await funding().getByLabel('Revenue share (%)').fill('60');
    expect(await funding().getByLabel('Repayment cap (× raised)').inputValue()).toBe('2');
    await funding().getByRole('button', { name: 'Create draft' }).click();
    // The contract's bound (5000 bps) restated in the form's unit.
    await expect.poll(() => funding().locator('#create-revenueShare-error').textContent()).toMatch(/at most 50%/);
    expect(await funding().getByLabel('Revenue share (%)').getAttribute('aria-invalid')).toBe('true');

    await funding().getByLabel('Revenue share (%)').fill('10');
    await funding().getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => funding().locator('#create-minPledge-error').textContent()).toMatch(/must not exceed the target/);
    expect(await funding().getByLabel('Minimum pledge (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(await funding().locator('#create-revenueShare-error').count()).toBe(0);
    expect(await rowWith(name).count()).toBe(0);
    await checkAccessibility('funding field error');
    await shoot('20-funding-field-error');

    await funding().getByLabel('Minimum pledge (USD)').fill('100');
    await funding().getByRole('button', { name: 'Create draft' }).click();
    await expect.poll(() => rowWith(name).count()).toBe(1);
    expect(await rowWith(name).locator('.status').textContent()).toBe('draft');
    expect(await rowWith(name).locator('.raised').textContent()).toBe('$0 of $1,000');
    expect(await funding().getByRole('status').filter({ hasText: 'created as a draft' }).count()).toBe(1);

    await rowWith(name).getByRole('button', { name }).click();
    await expect.poll(() => funding().locator('#round-title .status').textContent()).toBe('draft');
    expect(await buttons(lifecycle())).toEqual(['Open round', 'Cancel round', 'Edit draft']);
    expect(await funding().locator('table.pledges').count()).toBe(0);
    expect(await funding().locator('p.empty').textContent()).toBe('No pledges yet.');

    // Edit the draft: a bigger target.
    await lifecycle().getByRole('button', { name: 'Edit draft' }).click();
    expect(await funding().getByLabel('Target (USD)').inputValue()).toBe('1000');
    await funding().getByLabel('Target (USD)').fill('2000');
    await funding().getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => funding().locator('dl').textContent()).toMatch(/Target\$2,000/);
    expect(await funding().locator('moz-round-chart tbody tr').allTextContents()).toEqual(['Raised$0', 'Target$2,000']);

    await lifecycle().getByRole('button', { name: 'Open round' }).click();
    await expect.poll(() => funding().locator('#round-title .status').textContent()).toBe('open');
    expect(await funding().getByRole('status').filter({ hasText: 'is now open' }).count()).toBe(1);
    expect(await buttons(lifecycle())).toEqual(['Close round', 'Cancel round']);
    roundId = (await funding().locator('code.round-id').textContent()) ?? '';
    expect(roundId).toMatch(/^rnd/);
    await checkAccessibility('funding round opened');
    await shoot('21-funding-round-open');
  });

  it('an investor of a free tenant: the upgrade prompt for rounds; looks the round up by keyboard, pledges, cancels a pledge', async () => {
    browser.expectFailures(/status of 402/, /status of 400/, /status of 409/);
    await switchUser(investorTenant, 'investor-2', ['member']);
    await openFunding();
    const prompt = funding().locator('.notice.upgrade');
    await expect.poll(() => prompt.count()).toBe(1);
    expect(await prompt.textContent()).toMatch(/funding_rounds/);
    expect(await prompt.getByRole('link', { name: 'See plans and upgrade' }).getAttribute('href')).toBe('#/admin/plan');
    expect(await funding().getByRole('button', { name: 'New round' }).count()).toBe(0);
    expect(await funding().getByLabel('Status').count()).toBe(0);
    await checkAccessibility('funding upgrade prompt');
    await shoot('22-funding-upgrade-prompt');

    // Keyboard only: to the Invest tab, then the round id, Enter to look it up.
    await tabTo(/^button#\[\]Invest$/);
    await browser.page.keyboard.press('Enter');
    await expect.poll(() => tab('Invest').getAttribute('aria-current')).toBe('page');
    await tabTo(/^input#lookup-roundId/);
    await browser.page.keyboard.type(roundId);
    await browser.page.keyboard.press('Enter');
    await expect.poll(() => funding().locator('#lookup-title').textContent()).toMatch(name);
    const card = funding().locator(`section[data-round="${roundId}"]`);
    await expect.poll(() => card.locator('dl').textContent()).toMatch(/Demo app/); // its Marketplace listing
    expect(await card.locator('.remaining').textContent()).toBe('$2,000');
    await expect.poll(() => card.locator('moz-round-chart canvas').count()).toBe(1);

    // Below the minimum: the field error beside the amount, in dollars.
    const amount = card.getByLabel('Amount (USD)');
    await amount.fill('50');
    await card.getByRole('button', { name: 'Pledge', exact: true }).click();
    await expect.poll(() => card.locator('#pledge-amount-error').textContent()).toMatch(/at least the round's minimum pledge of \$100/);
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    // Past the target: the 409 says how much remains.
    await amount.fill('5000');
    await card.getByRole('button', { name: 'Pledge', exact: true }).click();
    await expect.poll(() => card.locator('.notice.error').textContent()).toMatch(/Only \$2,000 remain to the target/);

    await amount.fill('250');
    await card.getByRole('button', { name: 'Pledge', exact: true }).click();
    await expect.poll(() => funding().getByRole('status').filter({ hasText: 'You pledged $250' }).count()).toBe(1);
    await expect.poll(() => card.locator('.remaining').textContent()).toBe('$1,750');
    expect(await card.locator('.notice.error').count()).toBe(0);
    await card.getByLabel('Amount (USD)').fill('100');
    await card.getByRole('button', { name: 'Pledge', exact: true }).click();
    await expect.poll(() => card.locator('.remaining').textContent()).toBe('$1,650');
    expect(await funding().getByRole('button', { name }).count()).toBe(1); // listed under "Open rounds you back"
    await checkAccessibility('funding invest');
    await shoot('23-funding-invest');

    await tab('Your positions').click();
    const positions = funding().locator(`table.positions tbody tr[data-round="${roundId}"]`);
    await expect.poll(() => positions.count()).toBe(2);
    expect(await positions.locator('.amount').allTextContents()).toEqual(['$100', '$250']); // newest first
    expect(await positions.locator('.round-status').allTextContents()).toEqual(['open', 'open']);
    browser.page.once('dialog', (dialog) => void dialog.accept());
    await positions.getByRole('button', { name: `Cancel pledge of $100 to ${name}` }).click();
    await expect.poll(() => positions.first().locator('.pledge-status').textContent()).toBe('canceled');
    expect(await positions.nth(1).locator('.pledge-status').textContent()).toBe('committed');
    expect(await positions.getByRole('button', { name: /^Cancel pledge/ }).count()).toBe(1);
    expect(await funding().locator('[data-total="pledged"]').textContent()).toBe('$250');
    await checkAccessibility('funding positions');
    await shoot('24-funding-positions');
  });

  it('the owner sees the pledges, closes the round (a 409 when it closed meanwhile) and records revenue', async () => {
    browser.expectFailures(/status of 409/);
    await switchUser('demo', 'demo-owner', ['owner']);
    await openFunding();
    await expect.poll(() => rowWith(name).locator('.raised').textContent()).toBe('$250 of $2,000');
    await rowWith(name).getByRole('button', { name }).click();
    const pledges = funding().locator('table.pledges tbody tr');
    await expect.poll(() => pledges.count()).toBe(2);
    const committed = pledges.filter({ hasText: 'committed' });
    expect(await committed.count()).toBe(1);
    expect(await committed.locator('td').nth(1).textContent()).toBe(investorTenant);
    expect(await committed.locator('.amount').textContent()).toBe('$250');
    expect(await pledges.filter({ hasText: 'canceled' }).locator('.amount').textContent()).toBe('$100');
    expect(await funding().locator('moz-round-chart [role="img"]').getAttribute('aria-label')).toMatch(/^Raised \$250 of the \$2,000 target \(12.5%\)/);

    // Closed behind the page's back: closing again is a 409, shown as a notice naming the status.
    expect((await asDemoOwner({ action: 'close_round', roundId })).status).toBe(200);
    browser.page.once('dialog', (dialog) => void dialog.accept());
    await lifecycle().getByRole('button', { name: 'Close round' }).click();
    await expect.poll(() => funding().locator('.notice.error').textContent()).toMatch(/while the round is closed/);
    await expect.poll(() => funding().locator('#round-title .status').textContent()).toBe('closed');
    expect(await lifecycle().count()).toBe(0);
    // Closed: what it paid out and its cap join the chart.
    await expect.poll(() => funding().locator('moz-round-chart tbody tr').allTextContents()).toEqual(['Raised$250', 'Target$2,000', 'Paid out$0', 'Repayment cap$500']);
    await checkAccessibility('funding round pledges');
    await shoot('25-funding-round-pledges');

    await funding().getByRole('button', { name: '← All rounds' }).click();
    await funding().getByRole('button', { name: 'Record revenue' }).click();
    await expect.poll(() => funding().getByLabel('App', { exact: true }).locator('option').allTextContents()).toContain('Demo app');
    expect(await funding().getByLabel('Report id').inputValue()).toMatch(/^manual-\d{4}-\d\d-\d\d-/);
    await funding().getByLabel('Gross revenue (USD)').fill('1000');
    await funding().getByRole('button', { name: 'Record report' }).click();
    // Fee 3% of $1,000 = $30, net $970; a 10% share = a $97 pool, all to the one committed pledge.
    const result = funding().locator('.revenue-result');
    await expect.poll(() => result.textContent()).toMatch(/gross \$1,000, platform fee \$30, net \$970/);
    expect(await result.locator(`li[data-round="${roundId}"]`).textContent()).toMatch(/paid \$97 of a \$97 pool/);
    await expect.poll(() => rowWith(name).locator('.paid').textContent()).toBe('$97');
    await checkAccessibility('funding revenue');
    await shoot('26-funding-revenue');
  });

  it("the investor sees the payout and its chart", async () => {
    browser.expectFailures(/status of 402/);
    await switchUser(investorTenant, 'investor-2', ['member']);
    await openFunding();
    await tab('Payouts').click();
    const payouts = funding().locator('table.payouts tbody tr');
    await expect.poll(() => payouts.count()).toBe(1);
    expect(await payouts.locator('.amount').textContent()).toBe('$97');
    await expect.poll(() => payouts.locator('td').nth(1).textContent()).toBe(name);
    const chart = funding().locator('moz-payouts-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    expect(await chart.locator('[role="img"]').getAttribute('aria-label')).toMatch(/^Payouts over time: \$97 in 1 payout/);
    await checkAccessibility('funding payouts');
    await shoot('27-funding-payouts');

    await tab('Your positions').click();
    const position = funding().locator(`table.positions tbody tr[data-round="${roundId}"]`).filter({ hasText: 'committed' });
    await expect.poll(() => position.locator('.paid').textContent()).toBe('$97');
    expect(await position.locator('.round-status').textContent()).toBe('closed');
    expect(await funding().getByRole('button', { name: /^Cancel pledge/ }).count()).toBe(0);
  });

  it('a free owner gets the upgrade prompt, which leads to the plan', async () => {
    browser.expectFailures(/status of 402/);
    await switchUser(`free-${stamp}`, 'founder', ['owner']);
    await openFunding();
    const prompt = funding().locator('.notice.upgrade');
    await expect.poll(() => prompt.count()).toBe(1);
    expect(await funding().getByRole('button', { name: 'New round' }).count()).toBe(0);
    await prompt.getByRole('link', { name: 'See plans and upgrade' }).click();
    await expect.poll(() => browser.page.evaluate(() => location.hash)).toBe('#/admin/plan');
    await expect.poll(() => browser.page.locator('moz-platform-admin').getByLabel('New plan').count()).toBe(1);
  });
});
