// The Messages page (<moz-platform-community>, shell route #/community) in a real browser (harness:
// test/support/browser.ts): the seeded conversation with its unread count, opening it (mark_read drops
// the count to 0), sending a message, the body's field error; a group of three (each other member sees
// the message with an unread count that drops when they open it); refusals: a member who did not
// create the group changing its members (403), and someone removed from it opening it (the API's 404
// to a non-member); "Load more older messages" paging a long conversation. Every view: axe-core, no
// console error, a screenshot.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

type Envelope = { ok: boolean; data?: any; error?: { code: string; message: string } };

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

  /** Calls moz.platform.community as `sub` of the demo tenant, straight over HTTP (as another device would). */
  async function community$(sub: string, roles: string[], body: object): Promise<{ status: number; json: Envelope }> {
    const url = browser.platform.url;
    const tokenRes = await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, tenantId: 'demo', roles }) });
    const { token } = (await tokenRes.json()) as { token: string };
    const res = await fetch(`${url}/api/execute/moz.platform.community`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Envelope };
  }
  const ok$ = async (sub: string, roles: string[], body: object) => {
    const { json } = await community$(sub, roles, body);
    expect(json.ok, JSON.stringify(json)).toBe(true);
    return json.data;
  };

  const GROUP = 'Launch team';
  const group = () => conversations().filter({ hasText: GROUP });
  /** Signs in as `userId` of the demo tenant (the harness signs out first) and opens Messages. */
  const openCommunity = async (userId: string, roles: string[]) => {
    await signIn('demo', userId, roles);
    await browser.page.goto(`${browser.platform.url}/#/community`);
    await expect.poll(() => conversations().count()).toBeGreaterThanOrEqual(1);
  };

  it('a group: created with two others; each sees the message with an unread count that drops when they open it', async () => {
    // demo-member has used the platform once (so Identity knows them); demo-friend is seeded.
    await ok$('demo-member', ['member'], { action: 'list_conversations' });
    await openCommunity('demo-owner', ['owner']);
    await community().getByRole('radio', { name: 'A group' }).check();
    await community().getByLabel('Group title').fill(GROUP);
    await community().getByLabel('Members').fill('demo-friend, demo-member');
    await community().getByRole('button', { name: 'Start', exact: true }).click();
    // The notice comes once the new conversation is open (its messages loaded).
    await expect.poll(() => community().getByRole('status').filter({ hasText: `Conversation with ${GROUP} opened.` }).count()).toBe(1);
    expect(await community().locator('#conversation-heading').textContent()).toBe(GROUP);
    expect(await group().locator('.conv-title').textContent()).toMatch(/\(group, 3 members\)/);
    expect(await community().locator('ul.members > li').count()).toBe(3);
    expect(await community().locator('p.empty').textContent()).toMatch(/No messages yet/);

    const text = 'Hello team, the launch is on Monday.';
    await community().getByLabel('Your message').fill(text);
    await community().getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => messages().last().locator('.message-body').textContent()).toBe(text);
    await expect.poll(() => group().locator('.conv-preview').textContent()).toBe(`You: ${text}`);
    expect(await group().getAttribute('data-unread')).toBe('0');
    await checkAccessibility('community group');
    await shoot('15b-community-group');

    // Each other member: the group, unread 1, the message as its preview; opening it reads it.
    for (const [userId, shot] of [['demo-member', '15c-community-group-unread'], ['demo-friend', undefined]] as const) {
      await openCommunity(userId, ['member']);
      await expect.poll(() => group().count()).toBe(1);
      expect(await group().getAttribute('data-unread')).toBe('1');
      expect(await group().locator('.sr-only').textContent()).toBe('1 unread message');
      expect(await group().locator('.conv-preview').textContent()).toBe(`Demo Owner: ${text}`);
      if (shot) {
        await checkAccessibility('community group unread');
        await shoot(shot);
      }
      await group().getByRole('button').click();
      await expect.poll(() => messages().filter({ hasText: text }).count()).toBe(1);
      expect(await messages().filter({ hasText: text }).locator('.sender').textContent()).toBe('Demo Owner');
      await expect.poll(() => group().getAttribute('data-unread')).toBe('0');
      expect(await group().locator('.badge').count()).toBe(0);
      // Read from the API again: still 0.
      await browser.page.reload();
      await expect.poll(() => group().getAttribute('data-unread')).toBe('0');
    }
    // Counts are per member: the owner, who sent it, has nothing unread either.
    const owners = await ok$('demo-owner', ['owner'], { action: 'list_conversations' });
    expect(owners.items.find((c: { title?: string }) => c.title === GROUP)).toMatchObject({ unreadCount: 0, members: expect.arrayContaining(['demo-owner', 'demo-friend', 'demo-member']) });
  });

  it("refusals: a member who did not create the group cannot change its members (403); someone removed from it cannot open it", async () => {
    await openCommunity('demo-friend', ['member']);
    await expect.poll(() => group().count()).toBe(1);
    await group().getByRole('button').click();
    await expect.poll(() => messages().count()).toBeGreaterThanOrEqual(1);
    browser.expectFailures(/status of 403/, /status of 404/);
    await community().getByRole('button', { name: 'Remove demo-member' }).click();
    const refusal = community().locator('section.conversation .notice.refused');
    await expect.poll(() => refusal.textContent()).toMatch(/Not allowed\.[\s\S]*creator or a moderator/);
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await community().locator('ul.members > li').count()).toBe(3);
    await checkAccessibility('community member refusal');
    await shoot('15d-community-member-refusal');

    // The creator removes demo-friend meanwhile (elsewhere); demo-friend's list is older than that.
    const { conversationId } = (await ok$('demo-owner', ['owner'], { action: 'list_conversations' })).items.find((c: { title?: string }) => c.title === GROUP);
    await ok$('demo-owner', ['owner'], { action: 'remove_member', conversationId, userId: 'demo-friend' });
    // A non-member is refused by the API; it answers 404, so a stranger cannot even learn the conversation exists.
    const stranger = await community$('demo-friend', ['member'], { action: 'list_messages', conversationId });
    expect([stranger.status, stranger.json.error?.code]).toEqual([404, 'NOT_FOUND']);

    await group().getByRole('button').click();
    const notMember = community().locator('section.conversation .notice.refused');
    await expect.poll(() => notMember.textContent()).toMatch(/Not allowed\.\s+You are not a member of this conversation/);
    expect(await notMember.getAttribute('role')).toBe('alert');
    expect(await community().locator('#conversation-heading').textContent()).toBe(GROUP);
    // Nothing of it is shown or offered: no messages, no message box, no members; it leaves the list.
    expect(await messages().count()).toBe(0);
    expect(await community().getByLabel('Your message').count()).toBe(0);
    expect(await community().locator('ul.members').count()).toBe(0);
    expect(await group().count()).toBe(0);
    const withOwner = () => conversations().filter({ hasText: 'Demo Owner' });
    expect(await withOwner().count()).toBe(1); // the direct conversation stays
    // Focus goes to the refusal's heading (the button pressed has left the list).
    await expect.poll(() => browser.page.evaluate(() => document.querySelector('moz-platform-community')?.shadowRoot?.activeElement?.id)).toBe('conversation-heading');
    await checkAccessibility('community not a member');
    await shoot('15e-community-not-a-member');
    // Read from the API again: not in the list.
    await browser.page.reload();
    await expect.poll(() => withOwner().count()).toBe(1);
    expect(await group().count()).toBe(0);
  });

  it('"Load more older messages" pages a long conversation: 20 first, then the rest, and the button goes at the end', async () => {
    const { conversationId } = (await ok$('demo-member', ['member'], { action: 'list_conversations' })).items.find((c: { title?: string }) => c.title === GROUP);
    // One by one, so their order is known: 1 message already there + 24 = 25, more than a page of 20.
    for (let i = 1; i <= 24; i++) await ok$('demo-member', ['member'], { action: 'send_message', conversationId, body: `Message ${String(i).padStart(2, '0')}` });

    await openCommunity('demo-owner', ['owner']);
    await expect.poll(() => group().getAttribute('data-unread')).toBe('24');
    await group().getByRole('button').click();
    await expect.poll(() => messages().count()).toBe(20);
    const bodies = () => messages().locator('.message-body').allTextContents();
    const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Message ${String(from + i).padStart(2, '0')}`);
    // The newest 20, oldest first.
    expect(await bodies()).toEqual(numbered(5, 24));
    const more = community().getByRole('button', { name: 'Load more older messages' });
    expect(await more.isVisible()).toBe(true);
    await expect.poll(() => group().getAttribute('data-unread')).toBe('0');
    await checkAccessibility('community messages first page');
    await shoot('15f-community-messages-first-page');

    await more.click();
    await expect.poll(() => messages().count()).toBe(25);
    expect(await bodies()).toEqual(['Hello team, the launch is on Monday.', ...numbered(1, 24)]);
    expect(await community().getByRole('button', { name: /Load more/ }).count()).toBe(0);
    await checkAccessibility('community messages all pages');
    await shoot('15g-community-messages-all-pages');
  });
});
