// The Admin page's billing and user actions (<moz-platform-admin>, shell routes #/admin/{users,plan}) in a
// real browser (harness: test/support/browser.ts). The owner of a fresh (free) tenant buys a plan through
// the local payment provider's page, comes back to the plan view (successUrl) and sees it, cancels it
// through the confirmation step (keyboard only) and sees what the API answered; does the same for an
// app's own plan (Billing's app scope), coming back through the browser's history; opens a user's detail
// (roles, status, effective permissions) and checks their access (a bad permission first: the API's
// field error beside the field). A member is not offered the billing or user-management controls; an
// admin who tries to change the owner's roles sees the 403 as a refusal. App keys and the usage chart
// are plugin-uis.test.ts's. Every new view: axe-core, a screenshot; no console error.
import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { focused, useBrowser } from '../support/browser.ts';

describe('admin page in a browser: plan, cancellation, app plans, user detail', () => {
  const browser = useBrowser('admin');
  const { signIn, tabTo, checkAccessibility, shoot } = browser;
  const admin = () => browser.page.locator('moz-platform-admin');
  const plan = () => admin().locator('dl.card');
  const stamp = Date.now().toString(36);
  const tenantId = `admin-${stamp}`;

  /** Signs out through the shell first: the harness's signIn checks for "Sign out" before the shell has rendered it. */
  const switchUser = async (userId: string, roles: string[]) => {
    await browser.page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => browser.page.getByLabel('Tenant').count()).toBe(1);
    await signIn(tenantId, userId, roles);
  };

  const openAdmin = async (view: 'users' | 'plan') => {
    await browser.page.goto(`${browser.platform.url}/#/admin/${view}`);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Admin');
    await expect.poll(() => admin().getByRole('button', { name: view === 'users' ? 'Users' : 'Plan and billing' }).getAttribute('aria-current')).toBe('page');
  };

  const isCheckout = (request: Request) => request.url().endsWith('/api/execute/moz.platform.admin') && (request.postData() ?? '').includes('"create_checkout"');

  /** Picks `tier` on the plan view, goes to the provider's page and pays there; answers what the page asked create_checkout. */
  const buy = async (tier: string) => {
    // The local provider's page (bin/local/dev-routes.ts) names no icon, so Chromium asks for /favicon.ico,
    // which the platform answers 404: a console error that is no part of what is tested here.
    await browser.page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    await admin().getByLabel('New plan').selectOption(tier);
    const sent = browser.page.waitForRequest(isCheckout);
    await admin().getByRole('button', { name: 'Go to checkout' }).click();
    const input = JSON.parse((await sent).postData() ?? '{}') as { plan: string; successUrl: string; scope?: string; appId?: string };
    await browser.page.waitForURL(/\/dev\/checkout\?/);
    await expect.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Local payment provider');
    await browser.page.getByRole('button', { name: 'Confirm payment' }).click();
    await expect.poll(() => browser.page.locator('body').textContent()).toContain(`Payment confirmed: plan ${tier}`);
    return input;
  };

  it('the owner of a free tenant buys a plan through checkout, comes back to it, and cancels it after confirming', async () => {
    await signIn(tenantId, 'founder', ['owner']);
    await openAdmin('plan');
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*free/);
    expect(await admin().getByRole('button', { name: 'Cancel subscription' }).count()).toBe(0); // nothing paid to cancel
    await expect.poll(() => admin().getByText('No invoices yet.').count()).toBe(1);

    const input = await buy('premium');
    expect(input).toMatchObject({ plan: 'premium', successUrl: `${browser.platform.url}/#/admin/plan` });
    expect(input.scope).toBeUndefined();

    // The provider sends the person back to successUrl: the plan view shows the plan just bought and its invoice.
    await browser.page.goto(input.successUrl);
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*premium/);
    expect(await plan().textContent()).toMatch(/Status\s*active/);
    expect(await plan().textContent()).toMatch(/Current period ends/);
    await expect.poll(() => admin().getByRole('table', { name: 'Invoices' }).locator('tbody').textContent()).toMatch(/premium[\s\S]*paid/);

    // The confirmation step: opened, dismissed with Escape (focus back on the button), opened again by keyboard.
    const open = admin().getByRole('button', { name: 'Cancel subscription' });
    await open.click();
    const confirmation = admin().getByRole('region', { name: 'Cancel the premium plan of your tenant?' });
    await expect.poll(() => confirmation.count()).toBe(1);
    expect(await focused(browser.page)).toMatch(/^h4#cancel-title/);
    expect(await confirmation.textContent()).toMatch(/stays in effect until the end of the paid period/);
    await checkAccessibility('admin plan cancel confirmation');
    await shoot('admin-01-cancel-confirmation');

    await browser.page.keyboard.press('Escape');
    await expect.poll(() => confirmation.count()).toBe(0);
    expect(await focused(browser.page)).toMatch(/^button#cancel-open/);
    await browser.page.keyboard.press('Enter');
    await expect.poll(() => focused(browser.page)).toMatch(/^h4#cancel-title/);
    await tabTo(/^input#cancel-reason\[reason\]/, 3);
    await browser.page.keyboard.type('Browser test');
    await tabTo(/^button#\[\]Yes, cancel the subscription/, 3);
    const canceled = browser.page.waitForResponse((r) => (r.request().postData() ?? '').includes('"cancel_subscription"'));
    await browser.page.keyboard.press('Enter');
    const answer = (await (await canceled).json()) as { ok: boolean; data: { cancelAt: string } };
    expect(answer.ok).toBe(true);

    // What the API answered: the end date, and the plan still in effect until then.
    const result = admin().locator('#cancel-result');
    await expect.poll(() => result.textContent()).toMatch(/Subscription canceled\.\s*The premium plan of your tenant ends .+; until then your tenant keeps premium\./);
    expect(await result.textContent()).toContain(new Date(answer.data.cancelAt).getFullYear().toString());
    await expect.poll(() => focused(browser.page)).toMatch(/^p#cancel-result/);
    await expect.poll(() => plan().textContent()).toMatch(/Status\s*active, ends at the end of the period/);
    expect(await plan().textContent()).toMatch(/Plan\s*premium/);
    expect(await admin().getByRole('button', { name: 'Cancel subscription' }).count()).toBe(0);
    await checkAccessibility('admin plan canceled');
    await shoot('admin-02-plan-canceled');
  });

  it("the owner buys an app's own plan, comes back through the browser's history, and cancels it", async () => {
    // An app, made in Hosting.
    await browser.page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Hosting' }).click();
    const hosting = browser.page.locator('moz-platform-hosting');
    await expect.poll(() => hosting.getByText('No apps yet').count()).toBe(1);
    await hosting.getByLabel('Name').fill('Shop');
    await hosting.getByLabel('Slug').fill('shop');
    await hosting.getByRole('button', { name: 'Create app' }).click();
    await expect.poll(() => hosting.getByRole('button', { name: 'Shop' }).count()).toBe(1);

    await openAdmin('plan');
    const scope = admin().getByLabel('Subscription of');
    await expect.poll(() => scope.locator('option').allTextContents()).toEqual(['Your tenant (platform plan)', 'App: Shop']);
    await scope.selectOption({ label: 'App: Shop' });
    await expect.poll(() => admin().getByRole('heading', { name: 'Plan of the app "Shop"', exact: true }).count()).toBe(1);
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*free/); // the app has no plan of its own yet
    expect(await admin().getByRole('heading', { name: 'Change the plan of the app "Shop"' }).count()).toBe(1);
    expect(await admin().getByRole('button', { name: 'Cancel subscription' }).count()).toBe(0);
    await checkAccessibility('admin app plan');
    await shoot('admin-03-app-plan');

    const input = await buy('starter');
    expect(input).toMatchObject({ plan: 'starter', scope: 'app' });
    expect(input.appId).toMatch(/\S/);

    // Back twice (the provider's confirmation, its page): the plan view shows the app's new plan.
    await browser.page.goBack();
    await browser.page.goBack();
    await expect.poll(() => browser.page.url()).toBe(`${browser.platform.url}/#/admin/plan`);
    await expect.poll(() => admin().getByLabel('Subscription of').inputValue()).toBe(input.appId);
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*starter/);

    await admin().getByRole('button', { name: 'Cancel subscription' }).click();
    const confirmation = admin().getByRole('region', { name: 'Cancel the starter plan of the app "Shop"?' });
    await expect.poll(() => confirmation.count()).toBe(1);
    await confirmation.getByRole('button', { name: 'Yes, cancel the subscription' }).click();
    await expect.poll(() => admin().locator('#cancel-result').textContent()).toMatch(/The starter plan of the app "Shop" ends .+; until then the app "Shop" keeps starter\./);
    await expect.poll(() => plan().textContent()).toMatch(/ends at the end of the period/);

    // The platform plan is its own: still premium (canceled earlier).
    await admin().getByLabel('Subscription of').selectOption({ label: 'Your tenant (platform plan)' });
    await expect.poll(() => admin().getByRole('heading', { name: 'Platform plan', exact: true }).count()).toBe(1);
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*premium/);
  });

  it('a member is offered neither billing nor user management', async () => {
    await switchUser('mia', ['member']);
    await openAdmin('plan');
    await expect.poll(() => admin().locator('nav.tabs button').allTextContents()).toEqual(['Users', 'Roles', 'Plan and billing']);
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*premium/);
    expect(await admin().getByLabel('New plan').count()).toBe(0);
    expect(await admin().getByRole('button', { name: 'Cancel subscription' }).count()).toBe(0);
    await admin().getByLabel('Subscription of').selectOption({ label: 'App: Shop' });
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*starter/);
    expect(await admin().getByRole('button', { name: 'Cancel subscription' }).count()).toBe(0);

    await admin().getByRole('button', { name: 'Users' }).click();
    await expect.poll(() => admin().locator('tbody tr').count()).toBe(2);
    expect(await admin().getByRole('button', { name: 'Save roles' }).count()).toBe(0);
    expect(await admin().getByRole('button', { name: /^Suspend/ }).count()).toBe(0);
    // Reading users is a member's right (read:users): the detail is offered.
    expect(await admin().getByRole('button', { name: 'Details of founder' }).count()).toBe(1);
    await checkAccessibility('admin as member');
    await shoot('admin-04-member');
  });

  it("the owner opens a user's detail and checks their access", async () => {
    await switchUser('founder', ['owner']);
    await openAdmin('users');
    const details = admin().getByRole('button', { name: 'Details of mia' });
    await expect.poll(() => details.count()).toBe(1);
    await details.click();

    const title = admin().getByRole('heading', { level: 2, name: /mia/ });
    await expect.poll(() => title.count()).toBe(1);
    await expect.poll(() => focused(browser.page)).toMatch(/^h2#user-title/);
    const card = admin().locator('dl.card');
    expect(await card.textContent()).toMatch(/Roles\s*member/);
    expect(await card.textContent()).toMatch(/Status\s*active/);
    const permissions = admin().getByRole('list', { name: /^Permissions of mia/ });
    await expect.poll(() => permissions.locator('li').count()).toBeGreaterThan(0);
    const held = await permissions.locator('li').allTextContents();
    expect(held).toEqual(expect.arrayContaining(['read:users', 'read:billing', 'post:social', 'message:community', 'invest:funding']));
    expect(held).not.toContain('manage:billing');
    expect(held).not.toContain('manage:roles');
    await checkAccessibility('admin user detail');
    await shoot('admin-05-user-detail');

    // A permission that does not exist: the API's field error, beside the field, which gets the focus.
    browser.expectFailures(/status of 400/);
    const asked = admin().getByLabel('Permissions to check');
    await asked.fill('read:users, fly:planes');
    await admin().getByRole('button', { name: 'Check access' }).click();
    await expect.poll(() => admin().locator('#access-permissions-error').textContent()).toMatch(/^item 2: /);
    expect(await asked.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => focused(browser.page)).toMatch(/^input#access-permissions/);

    await asked.fill('manage:billing, read:users, manage:billing');
    await admin().getByRole('button', { name: 'Check access' }).click();
    const table = admin().getByRole('table', { name: 'Access of mia' });
    await expect.poll(() => table.locator('tbody tr').allTextContents()).toEqual(['manage:billing✗ not granted', 'read:users✓ granted']);
    await expect.poll(() => focused(browser.page)).toMatch(/^h4#access-title/);
    expect(await asked.getAttribute('aria-invalid')).toBe('false');
    await checkAccessibility('admin check access');
    await shoot('admin-06-check-access');

    // Back to the list: focus returns to the row the owner came from.
    await admin().getByRole('button', { name: '← All users' }).click();
    await expect.poll(() => focused(browser.page)).toMatch(/^button#\[\]Details of mia/);

    // Their own detail: an owner holds every permission.
    await admin().getByRole('button', { name: 'Details of founder' }).click();
    await expect.poll(() => admin().getByRole('list', { name: /^Permissions of founder/ }).locator('li').allTextContents()).toEqual(
      expect.arrayContaining(['manage:billing', 'manage:roles', 'manage:keys']),
    );
  });

  it("an admin who tries to change the owner's roles sees the 403 as a refusal, and is offered no billing", async () => {
    await switchUser('ada', ['admin']);
    await openAdmin('users');
    const roles = admin().getByRole('textbox', { name: 'Roles of founder' });
    await expect.poll(() => roles.count()).toBe(1);
    browser.expectFailures(/status of 403/);
    await roles.fill('member');
    await admin().getByRole('form', { name: 'Roles of founder' }).getByRole('button', { name: 'Save roles' }).click();
    const refusal = admin().locator('.notice.refused');
    await expect.poll(() => refusal.count()).toBe(1);
    expect(await refusal.textContent()).toMatch(/Not allowed\..*owner/);
    expect(await refusal.getAttribute('role')).toBe('alert');
    await checkAccessibility('admin 403');
    await shoot('admin-07-admin-refused');

    // Billing is the owner's (manage:billing): the plan is shown, not changed or canceled.
    await admin().getByRole('button', { name: 'Plan and billing' }).click();
    await expect.poll(() => plan().textContent()).toMatch(/Plan\s*premium/);
    expect(await admin().getByLabel('New plan').count()).toBe(0);
    expect(await admin().getByRole('button', { name: 'Cancel subscription' }).count()).toBe(0);
  });
});
