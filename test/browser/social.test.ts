// Issue 10: the Social page (<moz-platform-social>, shell route #/social) in a real browser (harness:
// test/support/browser.ts): the seeded feed, writing a post (it shows on top), like / unlike, comments,
// the body's field error, the scope switch; the Like and Follow toggles showing what you already like
// and follow (from the feed's `likedByMe` / `followingAuthor`, so also after a reload); "Load more"
// paging the feed to its end. Every view: axe-core, no console error, a screenshot.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

type Envelope = { ok: boolean; data?: any; error?: { code: string; message: string } };

describe('social page in a browser', () => {
  const browser = useBrowser('social');
  const { signIn, checkAccessibility, shoot } = browser;
  const social = () => browser.page.locator('moz-platform-social');
  const posts = () => social().locator('ol.posts > li');
  const postWith = (text: string) => posts().filter({ hasText: text });

  /** Signs in as `userId` of the demo tenant (the harness signs out first and waits for the shell). */
  const signInAs = (userId: string, roles: string[]) => signIn('demo', userId, roles);

  it('shows the seeded feed, newest first', async () => {
    await signIn('demo', 'demo-owner', ['owner']);
    await browser.page.goto(`${browser.platform.url}/#/social`);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Feed');
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    const bodies = await social().locator('.post-body').allTextContents();
    expect(bodies[0]).toMatch(/Our demo app is live in Hosting/);
    expect(bodies).toEqual(expect.arrayContaining([expect.stringMatching(/^Welcome to the demo tenant!/)]));
    const newest = posts().first();
    expect(await newest.getByRole('heading', { level: 3 }).textContent()).toMatch(/Demo Owner/);
    expect(await newest.locator('.like-count').textContent()).toBe('1 like');
    expect(await newest.locator('.comment-count').textContent()).toBe('1 comment');
    expect(await newest.locator('time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Your own posts: no follow button for yourself; edit and delete are offered.
    expect(await newest.getByRole('button', { name: /^Follow/ }).count()).toBe(0);
    expect(await newest.getByRole('button', { name: 'Edit' }).count()).toBe(1);
    expect(await newest.getByRole('button', { name: 'Delete' }).count()).toBe(1);
    // The scope switch is a labelled radio group.
    expect(await social().getByRole('radio', { name: 'All posts' }).isChecked()).toBe(true);
    await checkAccessibility('social feed');
    await shoot('11-social-feed');
  });

  it('an empty or too-long post shows the field error beside the field', async () => {
    browser.expectFailures(/status of 400/);
    const body = social().getByLabel('Write a post');
    await body.fill('   ');
    await social().getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => social().locator('#create-body-error').count()).toBe(1);
    expect(await body.getAttribute('aria-invalid')).toBe('true');

    await body.fill('x'.repeat(5001));
    await social().getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => social().locator('#create-body-error').textContent()).toMatch(/5000|too (long|big)/i);
    expect(await body.getAttribute('aria-invalid')).toBe('true');
    expect(await posts().filter({ hasText: 'xxxxxxxxxx' }).count()).toBe(0);
    await checkAccessibility('social field error');
  });

  it('writes a post and sees it at the top; likes and unlikes it; edits it', async () => {
    const text = `Hello from the browser test ${Date.now()}`;
    await social().getByLabel('Write a post').fill(text);
    await social().getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => posts().first().locator('.post-body').textContent()).toBe(text);
    expect(await social().locator('#create-body-error').count()).toBe(0);
    expect(await social().getByLabel('Write a post').inputValue()).toBe('');
    const postId = await posts().first().getAttribute('data-post');
    const mine = social().locator(`li[data-post="${postId}"]`);
    expect(await mine.locator('.like-count').textContent()).toBe('0 likes');
    expect(await mine.locator('.comment-count').textContent()).toBe('0 comments');

    const like = mine.getByRole('button', { name: 'Like' });
    expect(await like.getAttribute('aria-pressed')).toBe('false');
    await like.click();
    await expect.poll(() => mine.locator('.like-count').textContent()).toBe('1 like');
    expect(await like.getAttribute('aria-pressed')).toBe('true');
    await like.click();
    await expect.poll(() => mine.locator('.like-count').textContent()).toBe('0 likes');
    expect(await like.getAttribute('aria-pressed')).toBe('false');

    // The feed again from the API: still on top, counters as left.
    await browser.page.reload();
    await expect.poll(() => posts().first().locator('.post-body').textContent()).toBe(text);
    expect(await posts().first().locator('.like-count').textContent()).toBe('0 likes');

    await mine.getByRole('button', { name: 'Edit' }).click();
    const edit = mine.getByLabel('Edit your post');
    await edit.fill(`${text} (edited)`);
    await mine.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => mine.locator('.post-body').textContent()).toBe(`${text} (edited)`);
    expect(await mine.locator('header').textContent()).toMatch(/edited/);
  });

  it('comments: lists them, adds one, the count goes to 1; deletes it', async () => {
    const mine = posts().first();
    await mine.getByRole('button', { name: 'Comments' }).click();
    await expect.poll(() => mine.locator('section.comments').textContent()).toMatch(/No comments yet/);
    await mine.getByLabel('Add a comment').fill('A first comment, from the browser.');
    await mine.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect.poll(() => mine.locator('.comment-count').textContent()).toBe('1 comment');
    await expect.poll(() => mine.locator('ol.comments > li').count()).toBe(1);
    expect(await mine.locator('.comment-body').textContent()).toBe('A first comment, from the browser.');
    expect(await mine.getByLabel('Add a comment').inputValue()).toBe('');

    // The seeded post's comment loads from the API.
    const seeded = postWith('Our demo app is live in Hosting');
    await seeded.getByRole('button', { name: 'Comments' }).click();
    await expect.poll(() => seeded.locator('.comment-body').allTextContents()).toEqual(['Comments count exactly, even when everyone writes at once.']);
    expect(await seeded.getByRole('button', { name: 'Hide comments' }).getAttribute('aria-expanded')).toBe('true');
    await checkAccessibility('social comments');
    await shoot('12-social-comments');

    browser.page.once('dialog', (dialog) => void dialog.accept());
    await mine.getByRole('button', { name: /Delete the comment/ }).click();
    await expect.poll(() => mine.locator('.comment-count').textContent()).toBe('0 comments');
    await expect.poll(() => mine.locator('section.comments').textContent()).toMatch(/No comments yet/);
  });

  it('the following scope shows your own posts; a deleted post is gone', async () => {
    await social().getByRole('radio', { name: 'You and the people you follow' }).check();
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(4);
    const first = posts().first();
    const text = (await first.locator('.post-body').textContent()) ?? '';
    expect(text).toMatch(/\(edited\)$/);
    browser.page.once('dialog', (dialog) => void dialog.accept());
    await first.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => postWith(text).count()).toBe(0);
    await social().getByRole('radio', { name: 'All posts' }).check();
    await expect.poll(() => posts().first().locator('.post-body').textContent()).toMatch(/Our demo app is live in Hosting/);
    expect(await postWith(text).count()).toBe(0);
    await checkAccessibility('social following');
  });

  it("a member: follows and unfollows the owner; deleting the owner's post is refused (403)", async () => {
    await signInAs('demo-member', ['member']);
    await browser.page.goto(`${browser.platform.url}/#/social`);
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    const owners = postWith('Our demo app is live in Hosting');
    expect(await owners.getByRole('button', { name: 'Edit' }).count()).toBe(0);

    // Following: empty until the member follows the owner.
    await social().getByRole('radio', { name: 'You and the people you follow' }).check();
    await expect.poll(() => social().locator('p.empty').textContent()).toMatch(/No posts by you or the people you follow/);
    await social().getByRole('radio', { name: 'All posts' }).check();
    await owners.getByRole('button', { name: 'Follow Demo Owner' }).click();
    await expect.poll(() => social().getByRole('status').filter({ hasText: 'You follow Demo Owner.' }).count()).toBe(1);
    await social().getByRole('radio', { name: 'You and the people you follow' }).check();
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    // The follow button is a toggle: the same name, pressed while you follow.
    const follow = postWith('Our demo app is live in Hosting').getByRole('button', { name: 'Follow Demo Owner' });
    expect(await follow.getAttribute('aria-pressed')).toBe('true');
    await follow.click();
    await expect.poll(() => social().locator('p.empty').textContent()).toMatch(/No posts by you or the people you follow/);
    await social().getByRole('radio', { name: 'All posts' }).check();

    browser.expectFailures(/status of 403/);
    browser.page.once('dialog', (dialog) => void dialog.accept());
    await owners.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => owners.locator('.notice.refused').textContent()).toMatch(/Not allowed/);
    expect(await postWith('Our demo app is live in Hosting').count()).toBe(1);
    await checkAccessibility('social member refusal');
    await shoot('13-social-refusal');
  });

  /** Calls moz.platform.social as `sub` of the demo tenant, straight over HTTP (as a second device would). */
  async function social$(sub: string, roles: string[], body: object): Promise<any> {
    const url = browser.platform.url;
    const tokenRes = await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, tenantId: 'demo', roles }) });
    const { token } = (await tokenRes.json()) as { token: string };
    const res = await fetch(`${url}/api/execute/moz.platform.social`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const envelope = (await res.json()) as Envelope;
    expect(envelope.ok, JSON.stringify(envelope)).toBe(true);
    return envelope.data;
  }

  /** Every post of the demo tenant's feed, newest first, as the API pages it. */
  async function wholeFeed(): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await social$('demo-owner', ['owner'], { action: 'get_feed', limit: 100, ...(cursor && { cursor }) });
      ids.push(...page.items.map((p: { postId: string }) => p.postId));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it('Like and Follow show what you already like and follow, also after a reload, and toggle it (aria-pressed)', async () => {
    // demo-member follows nobody (the test above unfollowed) and has liked nothing.
    await signInAs('demo-member', ['member']);
    await browser.page.goto(`${browser.platform.url}/#/social`);
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    const owners = postWith('Our demo app is live in Hosting');
    const like = owners.getByRole('button', { name: 'Like' });
    const follow = owners.getByRole('button', { name: 'Follow Demo Owner' });
    const followOwner = () => social().getByRole('button', { name: 'Follow Demo Owner' });
    expect(await like.getAttribute('aria-pressed')).toBe('false');
    expect(await follow.getAttribute('aria-pressed')).toBe('false');
    expect(await owners.locator('.like-count').textContent()).toBe('1 like'); // the owner's own, seeded

    await like.click();
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    expect(await owners.locator('.like-count').textContent()).toBe('2 likes');
    await follow.click();
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    // Following is per author: every post of Demo Owner shows it, not only the one pressed.
    expect(await followOwner().count()).toBeGreaterThanOrEqual(3);
    expect(new Set(await followOwner().evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed'))))).toEqual(new Set(['true']));

    // Read back from the API: the feed says what you like and whom you follow.
    await browser.page.reload();
    await expect.poll(() => owners.getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('true');
    expect(await owners.locator('.like-count').textContent()).toBe('2 likes');
    expect(new Set(await followOwner().evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed'))))).toEqual(new Set(['true']));
    // A post the member did not like stays unpressed.
    expect(await postWith('Welcome to the demo tenant!').getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('false');
    await checkAccessibility('social liked and followed');
    await shoot('13b-social-liked-followed');

    // The following scope agrees, and its posts carry the same state.
    await social().getByRole('radio', { name: 'You and the people you follow' }).check();
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    expect(await postWith('Our demo app is live in Hosting').getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('true');
    await social().getByRole('radio', { name: 'All posts' }).check();
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);

    // Toggled off, and still off after a reload.
    await owners.getByRole('button', { name: 'Like' }).click();
    await expect.poll(() => owners.getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('false');
    expect(await owners.locator('.like-count').textContent()).toBe('1 like');
    await owners.getByRole('button', { name: 'Follow Demo Owner' }).click();
    await expect.poll(() => social().getByRole('status').filter({ hasText: 'You no longer follow Demo Owner.' }).count()).toBe(1);
    expect(new Set(await followOwner().evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed'))))).toEqual(new Set(['false']));
    await browser.page.reload();
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    expect(await owners.getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('false');
    expect(new Set(await followOwner().evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed'))))).toEqual(new Set(['false']));

    // The owner sees their own like of the seeded post (their state, not the member's).
    await signInAs('demo-owner', ['owner']);
    await browser.page.goto(`${browser.platform.url}/#/social`);
    await expect.poll(() => posts().count()).toBeGreaterThanOrEqual(3);
    expect(await owners.getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('true');
    expect(await postWith('Welcome to the demo tenant!').getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('"Load more posts" pages a long feed: 20 first, then the rest, and the button goes at the end', async () => {
    // Enough posts for two pages (the page asks for the API's default of 20), written one by one so
    // their order is known, by another user over HTTP.
    for (let i = 1; i <= 22; i++) await social$('demo-member', ['member'], { action: 'create_post', body: `Paging post ${String(i).padStart(2, '0')}` });
    const all = await wholeFeed();
    expect(all.length).toBeGreaterThan(20);
    expect(all.length).toBeLessThanOrEqual(40);

    await signInAs('demo-owner', ['owner']);
    await browser.page.goto(`${browser.platform.url}/#/social`);
    await expect.poll(() => posts().count()).toBe(20);
    const shown = () => posts().evaluateAll((items) => items.map((li) => li.getAttribute('data-post')));
    expect(await shown()).toEqual(all.slice(0, 20));
    expect(await posts().first().locator('.post-body').textContent()).toBe('Paging post 22');
    const more = social().getByRole('button', { name: 'Load more posts' });
    expect(await more.isVisible()).toBe(true);
    await checkAccessibility('social feed first page');
    await shoot('13c-social-feed-first-page');

    await more.click();
    await expect.poll(() => posts().count()).toBe(all.length);
    // The next page follows on: every post once, in the API's order; the oldest (seeded) post last.
    expect(await shown()).toEqual(all);
    expect(await posts().last().locator('.post-body').textContent()).toMatch(/^Welcome to the demo tenant!/);
    expect(await social().getByRole('button', { name: /Load more/ }).count()).toBe(0);
    await checkAccessibility('social feed all pages');
    await shoot('13d-social-feed-all-pages');
  });
});
