// Issue 10: the Discovery page (<moz-platform-discovery>, "Marketplace") in a real browser (harness:
// test/support/browser.ts): search finds the seeded demo listing, its detail is rated by keyboard and
// the rating count changes; the seeded welcome quest is started and a step completed, the progress
// shows. Every view: axe-core, no console error, a screenshot.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

describe('discovery (Marketplace) in a browser', () => {
  const browser = useBrowser('discovery');
  const { signIn, checkAccessibility, shoot } = browser;

  it('search finds the seeded demo listing; rating it changes its rating count', async () => {
    await signIn('demo', 'demo-owner', ['owner']);
    const nav = browser.page.getByRole('navigation', { name: 'Plugins' });
    await expect.poll(() => nav.getByRole('link').allTextContents()).toContain('Marketplace');
    await nav.getByRole('link', { name: 'Marketplace' }).click();
    await expect.poll(() => browser.page.evaluate(() => location.hash)).toBe('#/discovery');
    const discovery = browser.page.locator('moz-platform-discovery');
    await expect.poll(() => discovery.getByRole('button', { name: 'Search', exact: true }).count()).toBe(1);

    await discovery.getByLabel('Words').fill('marketplace seeds');
    await discovery.getByLabel('Tag').fill('starter');
    await discovery.getByRole('button', { name: 'Search', exact: true }).click();
    const card = discovery.locator('li.listing-card', { hasText: 'Demo app' });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toMatch(/The app npm start seeds, published in the marketplace/);
    expect(await card.textContent()).toMatch(/#starter/);
    expect(await card.textContent()).toMatch(/demo/);

    // No match: the empty state.
    await discovery.getByLabel('Words').fill('zzqx nothing');
    await discovery.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => discovery.getByText('No listings match your search.').count()).toBe(1);
    await discovery.getByLabel('Words').fill('demo');
    await discovery.getByLabel('Tag').fill('');
    await discovery.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => card.count()).toBe(1);
    await checkAccessibility('discovery search');
    await shoot('09-discovery-search');

    // The detail: rate it by keyboard (radio group: arrows, then Enter on the submit button).
    await card.getByRole('button', { name: 'Demo app' }).click();
    await expect.poll(() => discovery.getByRole('heading', { level: 2 }).textContent()).toBe('Demo app');
    const rating = discovery.locator('dd[data-rating]');
    const before = (await rating.textContent()) ?? '';
    const countBefore = Number(/\((\d+) ratings?\)/.exec(before)?.[1] ?? 0);
    await discovery.getByLabel('3 stars').focus();
    await browser.page.keyboard.press('Space');
    await browser.page.keyboard.press('ArrowRight'); // 4 stars
    expect(await discovery.getByLabel('4 stars').isChecked()).toBe(true);
    await discovery.getByRole('button', { name: 'Submit rating' }).focus();
    await browser.page.keyboard.press('Enter');
    await expect.poll(() => rating.textContent()).toMatch(new RegExp(`\\(${countBefore + 1} ratings?\\)`));
    await expect.poll(() => discovery.getByRole('status').textContent()).toMatch(/You rated "Demo app" 4 stars\. Its average is now \d\.\d\d from \d+ ratings?\./);
    await checkAccessibility('discovery listing');
    await shoot('09b-discovery-listing');

    // Rating again replaces the rating: the count stays.
    await discovery.getByLabel('5 stars').check();
    await discovery.getByRole('button', { name: 'Submit rating' }).click();
    await expect.poll(() => discovery.getByRole('status').textContent()).toMatch(/5 stars/);
    expect(await rating.textContent()).toMatch(new RegExp(`\\(${countBefore + 1} ratings?\\)`));

    await discovery.getByRole('button', { name: '← Back to the results' }).click();
    await expect.poll(() => card.textContent()).toMatch(new RegExp(`\\(${countBefore + 1} ratings?\\)`));
  });

  it('publish: the form lists your apps and shows field errors beside the fields', async () => {
    browser.expectFailures(/status of 400/);
    const discovery = browser.page.locator('moz-platform-discovery');
    await discovery.getByRole('button', { name: 'Publish an app' }).click();
    await expect.poll(() => discovery.getByLabel('App', { exact: true }).locator('option').count()).toBeGreaterThan(0);
    await discovery.getByLabel('Listing name').fill('Demo app');
    await discovery.getByLabel('Category').fill('Not A Category!');
    await discovery.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => discovery.locator('#publish-category-error').textContent()).toMatch(/lower-case/);
    expect(await discovery.getByLabel('Category').getAttribute('aria-invalid')).toBe('true');
    await checkAccessibility('discovery publish');
    await shoot('09c-discovery-publish');

    // Fixed, it publishes (the demo app again: its listing is updated in place).
    await discovery.getByLabel('App', { exact: true }).selectOption({ label: 'Demo app (demo)' });
    await discovery.getByLabel('Category').fill('demo');
    await discovery.getByLabel('Tagline').fill('The app npm start seeds, published in the marketplace');
    await discovery.getByLabel('Tags').fill('starter, example');
    await discovery.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => discovery.getByRole('status').textContent()).toMatch(/"Demo app" is published in the marketplace\./);
    expect(await discovery.getByLabel('Category').getAttribute('aria-invalid')).toBe('false');
  });

  it('quests: start the seeded quest, complete a step, the progress and leaderboard show', async () => {
    const discovery = browser.page.locator('moz-platform-discovery');
    await discovery.getByRole('button', { name: 'Quests' }).click();
    const quest = discovery.locator('li.quest', { hasText: 'Welcome to Mozaiks' });
    await expect.poll(() => quest.count()).toBe(1);
    await expect.poll(() => quest.textContent()).toMatch(/Not started/);
    await quest.getByRole('button', { name: 'Start quest: Welcome to Mozaiks' }).click();
    await expect.poll(() => quest.locator('[data-progress]').textContent()).toBe('0 of 3 steps done');

    const step = quest.getByRole('button', { name: 'Find the demo app in the marketplace' });
    expect(await step.getAttribute('aria-pressed')).toBe('false');
    await step.click();
    await expect.poll(() => quest.locator('[data-progress]').textContent()).toBe('1 of 3 steps done');
    expect(await step.getAttribute('aria-pressed')).toBe('true');
    expect(await quest.locator('progress').getAttribute('value')).toBe('1');
    await expect.poll(() => discovery.getByRole('status').first().textContent()).toMatch(/Step done: 1 of 3/);
    await expect.poll(() => discovery.getByRole('heading', { name: 'Leaderboard' }).count()).toBe(1);
    await checkAccessibility('discovery quests');
    await shoot('10-discovery-quests');

    // The last steps finish the quest: the reward lands on the leaderboard.
    await quest.getByRole('button', { name: 'Rate it' }).click();
    await expect.poll(() => quest.locator('[data-progress]').textContent()).toBe('2 of 3 steps done');
    await quest.getByRole('button', { name: 'Write a first post' }).click();
    await expect.poll(() => quest.locator('[data-progress]').textContent()).toMatch(/3 of 3 steps done · completed, 100 points awarded/);
    await expect.poll(() => discovery.locator('table tbody').textContent()).toMatch(/100/);

    // Reloaded, the progress is read back.
    await browser.page.reload();
    await discovery.getByRole('button', { name: 'Quests' }).click();
    await expect.poll(() => quest.locator('[data-progress]').textContent()).toMatch(/3 of 3 steps done/);
  });
});
