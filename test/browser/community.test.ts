// The Messages page (<moz-platform-community>, shell route #/community) in a real browser (harness:
// test/support/browser.ts): the seeded conversation with its unread count, opening it (mark_read drops
// the count to 0), sending a message, the body's field error. Every view: axe-core, no console error,
// a screenshot.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

describe('community page in a browser', () => {
  const browser = useBrowser('community');
  const { signIn, checkAccessibility, shoot } = browser;
  const community = () => browser.page.locator('moz-platform-community');
  const conversations = () => community().locator('ol.conversations > li');
  const withFriend = () => conversations().filter({ hasText: 'Demo Friend' });
  const messages = () => community().locator('ol.messages > li');

  it('lists the seeded conversation with Demo Friend and one unread message', async () => {
    await signIn('demo', 'demo-owner', ['owner']);
    await browser.page.goto(`${browser.platform.url}/#/community`);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Messages');
    await expect.poll(() => withFriend().count()).toBe(1);
    expect(await withFriend().getAttribute('data-unread')).toBe('1');
    expect(await withFriend().locator('.badge').textContent()).toMatch(/1\s*1 unread message/);
    expect(await withFriend().locator('.sr-only').textContent()).toBe('1 unread message');
    expect(await withFriend().locator('.conv-preview').textContent()).toMatch(/^Demo Friend: Welcome to Mozaiks!/);
    expect(await withFriend().locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await checkAccessibility('community list');
    await shoot('14-community-list');
  });

  it('opening it shows the welcome message and marks it read (the count drops to 0)', async () => {
    await withFriend().getByRole('button').click();
    await expect.poll(() => messages().count()).toBeGreaterThanOrEqual(1);
    const welcome = messages().filter({ hasText: 'Welcome to Mozaiks!' });
    expect(await welcome.locator('.sender').textContent()).toBe('Demo Friend');
    expect(await welcome.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await community().locator('#conversation-heading').textContent()).toBe('Demo Friend');
    await expect.poll(() => withFriend().getAttribute('data-unread')).toBe('0');
    expect(await withFriend().locator('.badge').count()).toBe(0);
    expect(await withFriend().getByRole('button').getAttribute('aria-current')).toBe('true');
    // Read from the API again: still 0.
    await browser.page.reload();
    await expect.poll(() => withFriend().getAttribute('data-unread')).toBe('0');
    await withFriend().getByRole('button').click();
    await expect.poll(() => messages().filter({ hasText: 'Welcome to Mozaiks!' }).count()).toBe(1);
    await checkAccessibility('community conversation');
  });

  it('sends a message and shows it; it becomes the preview', async () => {
    const text = `Hello from the browser test ${Date.now()}`;
    await community().getByLabel('Your message').fill(text);
    await community().getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => messages().last().locator('.message-body').textContent()).toBe(text);
    expect(await messages().last().locator('.sender').textContent()).toMatch(/\(you\)/);
    expect(await community().getByLabel('Your message').inputValue()).toBe('');
    await expect.poll(() => conversations().first().locator('.conv-preview').textContent()).toBe(`You: ${text}`);
    expect(await withFriend().getAttribute('data-unread')).toBe('0');
    await shoot('15-community-conversation');
  });

  it('an empty message shows the field error beside the field', async () => {
    browser.expectFailures(/status of 400/);
    const body = community().getByLabel('Your message');
    const before = await messages().count();
    await body.fill('   ');
    await community().getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => community().locator('#send-body-error').count()).toBe(1);
    expect(await body.getAttribute('aria-invalid')).toBe('true');
    expect(await messages().count()).toBe(before);
    await checkAccessibility('community field error');
  });
});
