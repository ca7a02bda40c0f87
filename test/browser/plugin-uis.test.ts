// Issue 10, first step: the shell and the Dashboard, Hosting and Admin pages in a real browser (harness:
// test/support/browser.ts): dev sign-in (keyboard only), the dashboard overview, Hosting (create an app,
// add a domain and see its TXT record, verify it), Admin (an app key's secret shown once, the plan with
// its usage chart), a free tenant's 402 upgrade prompt, and a member who is not offered what they may
// not do. Every page: axe-core, no console error, a screenshot.
import { describe, expect, it } from 'vitest';
import { focused, useBrowser } from '../support/browser.ts';

describe('plugin UIs in a browser', () => {
  const browser = useBrowser('shell-hosting-admin');
  const { signIn, tabTo, checkAccessibility, shoot } = browser;

  it('signs in with the dev issuer, by keyboard only', async () => {
    await browser.page.goto(`${browser.platform.url}/`);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await checkAccessibility('sign-in');
    await shoot('01-sign-in');

    await tabTo(/^a#/); // the skip link comes first
    await tabTo(/^input#tenantId/);
    await browser.page.keyboard.press('ControlOrMeta+a');
    await browser.page.keyboard.type('demo');
    await browser.page.keyboard.press('Tab');
    expect(await focused(browser.page)).toMatch(/^input#userId/);
    await browser.page.keyboard.press('ControlOrMeta+a');
    await browser.page.keyboard.type('demo-owner');
    await browser.page.keyboard.press('Enter'); // submits the form (owner is checked by default)

    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    const nav = browser.page.getByRole('navigation', { name: 'Plugins' });
    await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Hosting', 'Marketplace', 'Feed', 'Messages', 'Campaigns', 'Funding', 'Admin']);
    expect(await browser.page.evaluate(() => sessionStorage.getItem('mozaiks.session'))).toContain('"tenantId":"demo"');

    // Keyboard on to Hosting and open it with Enter.
    await tabTo(/^a#\[\]Hosting/);
    await browser.page.keyboard.press('Enter');
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Hosting');
    await expect.poll(() => browser.page.locator('moz-platform-hosting table').count()).toBe(1);
  });

  it('dashboard: the overview renders its sections', async () => {
    await browser.page.goto(`${browser.platform.url}/#/dashboard`);
    const sections = browser.page.locator('moz-platform-dashboard section[data-section]');
    await expect.poll(() => sections.count()).toBe(6);
    const statuses = await sections.evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-section'), n.getAttribute('data-status')])));
    expect(statuses).toEqual({ apps: 'ok', plan: 'ok', messages: 'ok', fundingPositions: 'ok', fundingRounds: 'ok', campaigns: 'ok' });
    await expect.poll(() => browser.page.locator('moz-platform-dashboard section[data-section="plan"] canvas').count()).toBeGreaterThan(0);
    expect(await browser.page.locator('moz-platform-dashboard section[data-section="messages"]').textContent()).toMatch(/unread message/);
    await checkAccessibility('dashboard');
    await shoot('02-dashboard');
  });

  it('hosting: create an app, see it listed; add a domain, see its TXT record, verify it', async () => {
    await browser.page.goto(`${browser.platform.url}/#/hosting`);
    const hosting = browser.page.locator('moz-platform-hosting');
    await expect.poll(() => hosting.getByRole('button', { name: 'Create app' }).count()).toBe(1);

    // A bad slug: the API's field error is shown beside the Slug field.
    browser.expectFailures(/status of 400/);
    await hosting.getByLabel('Name').fill('Browser shop');
    await hosting.getByLabel('Slug').fill('Not A Slug!');
    await hosting.getByRole('button', { name: 'Create app' }).click();
    await expect.poll(() => hosting.locator('#create-slug-error').textContent()).toMatch(/lower-case/);
    expect(await hosting.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true');

    await hosting.getByLabel('Slug').fill('browser-shop');
    await hosting.getByRole('button', { name: 'Create app' }).click();
    await expect.poll(() => hosting.getByRole('button', { name: 'Browser shop' }).count()).toBe(1);
    expect(await hosting.locator('table').textContent()).toContain('browser-shop');
    await checkAccessibility('hosting list');
    await shoot('03-hosting-apps');

    await hosting.getByRole('button', { name: 'Browser shop' }).click();
    await expect.poll(() => hosting.getByRole('heading', { level: 2 }).textContent()).toMatch(/Browser shop/);
    await hosting.getByLabel('Domain', { exact: true }).fill('shop.example.com');
    await hosting.getByRole('button', { name: 'Add domain' }).click();
    const txt = hosting.locator('td.txt');
    await expect.poll(() => txt.count()).toBe(1);
    const record = (await txt.locator('code').allTextContents()) as [string, string];
    expect(record[0]).toBe('_mozaiks-challenge.shop.example.com');
    expect(record[1]).toMatch(/^mozaiks-verify=/);
    await checkAccessibility('hosting app');
    await shoot('04-hosting-app-domain');

    // Publish the record with the dev DNS, then verify from the UI.
    const published = await fetch(`${browser.platform.url}/dev/dns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: record[0], values: [record[1]] }) });
    expect(published.status).toBe(200);
    await hosting.getByRole('button', { name: 'Verify shop.example.com' }).click();
    await expect.poll(() => hosting.locator('tbody tr', { hasText: 'shop.example.com' }).textContent()).toMatch(/verified/);

    // Deploy: the deployment is listed.
    await hosting.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(() => hosting.getByText(/Deployment .* queued/).count()).toBe(1);
    await expect.poll(() => hosting.locator('table').first().textContent()).toMatch(/queued|running/);
  });

  it('admin: an app key is created and its secret shown once; the plan shows usage against limits', async () => {
    await browser.page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Admin' }).click();
    const admin = browser.page.locator('moz-platform-admin');
    await expect.poll(() => admin.locator('table').count()).toBe(1); // users
    await admin.getByRole('button', { name: 'App keys' }).click();
    await expect.poll(() => browser.page.evaluate(() => location.hash)).toBe('#/admin/keys');
    await admin.getByLabel('Key name').fill('ci-runtime');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const secret = admin.locator('.secret-value');
    await expect.poll(() => secret.count()).toBe(1);
    const value = (await secret.textContent()) ?? '';
    expect(value).toMatch(/^mzk\.demo\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}$/);
    await expect.poll(() => admin.locator('tbody').textContent()).toContain('ci-runtime');
    await checkAccessibility('admin keys');
    await shoot('05-admin-app-key');

    // Shown once: dismissed, it is gone, and the list never shows it.
    await admin.getByRole('button', { name: 'I have stored it' }).click();
    expect(await admin.locator('.secret-value').count()).toBe(0);
    await admin.getByRole('button', { name: 'Users' }).click();
    await admin.getByRole('button', { name: 'App keys' }).click();
    await expect.poll(() => admin.locator('tbody').textContent()).toContain('ci-runtime');
    expect(await browser.page.locator('body').evaluate((body) => body.outerHTML + (document.querySelector('moz-platform-admin')?.shadowRoot?.innerHTML ?? ''))).not.toContain(value);

    await admin.getByRole('button', { name: 'Plan and billing' }).click();
    await expect.poll(() => admin.locator('moz-usage-chart canvas').count()).toBeGreaterThan(0);
    expect(await admin.locator('dl').textContent()).toMatch(/business/);
    expect(await admin.getByLabel('New plan').count()).toBe(1);
    await checkAccessibility('admin plan');
    await shoot('06-admin-plan');
  });

  it('a free tenant gets an upgrade prompt (402) that leads to the plan, and no domain form', async () => {
    browser.expectFailures(/status of 402/);
    await signIn(`free-${Date.now()}`, 'founder', ['owner']);
    await browser.page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Hosting' }).click();
    const hosting = browser.page.locator('moz-platform-hosting');
    await expect.poll(() => hosting.getByText('No apps yet').count()).toBe(1);
    for (const [name, slug] of [['First', 'first-app'], ['Second', 'second-app']] as const) {
      await hosting.getByLabel('Name').fill(name);
      await hosting.getByLabel('Slug').fill(slug);
      await hosting.getByRole('button', { name: 'Create app' }).click();
      if (slug === 'first-app') await expect.poll(() => hosting.getByRole('button', { name: 'First' }).count()).toBe(1);
    }
    const prompt = hosting.locator('.notice.upgrade');
    await expect.poll(() => prompt.count()).toBe(1);
    expect(await prompt.textContent()).toMatch(/plan/i);
    await checkAccessibility('hosting 402');
    await shoot('07-hosting-upgrade-prompt');

    // The free plan lacks custom_domains: /api/plugins does not list add_domain, so no form is offered.
    await hosting.getByRole('button', { name: 'First' }).click();
    await expect.poll(() => hosting.getByRole('heading', { name: 'Domains' }).count()).toBe(1);
    expect(await hosting.getByRole('button', { name: 'Add domain' }).count()).toBe(0);

    await hosting.getByRole('button', { name: '← All apps' }).click();
    await expect.poll(() => prompt.count()).toBe(0);
    await hosting.getByLabel('Name').fill('Third');
    await hosting.getByLabel('Slug').fill('third-app');
    await hosting.getByRole('button', { name: 'Create app' }).click();
    await prompt.getByRole('link', { name: 'See plans and upgrade' }).click();
    await expect.poll(() => browser.page.evaluate(() => location.hash)).toBe('#/admin/plan');
    await expect.poll(() => browser.page.locator('moz-platform-admin').getByLabel('New plan').count()).toBe(1);
  });

  it('a member is not offered what their roles do not allow', async () => {
    await signIn('demo', 'a-member', ['member']);
    await browser.page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Hosting' }).click();
    const hosting = browser.page.locator('moz-platform-hosting');
    await expect.poll(() => hosting.locator('table').count()).toBe(1);
    expect(await hosting.getByRole('button', { name: 'Create app' }).count()).toBe(0);
    await browser.page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Admin' }).click();
    const admin = browser.page.locator('moz-platform-admin');
    await expect.poll(() => admin.locator('nav.tabs button').allTextContents()).toEqual(['Users', 'Roles', 'Plan and billing']);
    expect(await admin.getByRole('button', { name: 'Save roles' }).count()).toBe(0);
    await checkAccessibility('admin as member');
    await shoot('08-admin-member');
  });
});
