// Issue 10: the Social page (<moz-platform-social>, shell route #/social) in a real browser (harness:
// test/support/browser.ts): the seeded feed, writing a post (it shows on top), like / unlike, comments,
// the body's field error, the scope switch. Every view: axe-core, no console error, a screenshot.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

describe('social page in a browser', () => {
  const browser = useBrowser('social');
  const { signIn, checkAccessibility, shoot } = browser;
  const social = () => browser.page.locator('moz-platform-social');
  const posts = () => social().locator('ol.posts > li');
  const postWith = (text: string) => posts().filter({ hasText: text });

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
    await signIn('demo', 'demo-member', ['member']);
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
    await postWith('Our demo app is live in Hosting').getByRole('button', { name: 'Unfollow Demo Owner' }).click();
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
});
