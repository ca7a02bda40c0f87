// Hosted sign-in in a real browser: the shell's OIDC client (oauth4webapi, authorization code + PKCE)
// against the local platform's stand-in for Cognito's hosted page (MOZAIKS_SIGN_IN=oidc): the same
// protocol as on AWS, with the ID token then accepted by the API.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';

describe('hosted (OIDC) sign-in in a browser', () => {
  const browser = useBrowser('oidc-sign-in', { signIn: 'oidc' });
  const heading = () => browser.page.getByRole('heading', { level: 1 }).textContent();

  it('signs in through the issuer with PKCE, comes back to the dashboard, and the API accepts the ID token', async () => {
    const { page, platform } = browser;
    await page.goto(`${platform.url}/#/social`);
    await expect.poll(heading).toBe('Sign in');
    await browser.checkAccessibility('oidc-shell-sign-in');
    await browser.shoot('oidc-01-sign-in');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev\/oidc\/authorize\?/);
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${platform.url}/`);
    await browser.checkAccessibility('oidc-issuer-page');
    await browser.shoot('oidc-02-issuer');

    await page.getByLabel('Tenant').fill('oidc-tenant');
    await page.getByLabel('User').fill('oidc-user');
    await page.getByRole('button', { name: 'Continue' }).click();

    // Back where the user started, signed in, with the code gone from the address bar.
    await expect.poll(heading).toBe('Feed');
    expect(page.url()).toBe(`${platform.url}/#/social`);
    await expect.poll(() => page.getByText('oidc-user · tenant oidc-tenant').isVisible()).toBe(true);
    const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('mozaiks.session') ?? '{}') as { token?: string }).token);
    const plugins = await fetch(`${platform.url}/api/plugins`, { headers: { authorization: `Bearer ${token}` } });
    expect(plugins.status).toBe(200);
    await browser.shoot('oidc-03-signed-in');
  });

  it('refuses a code it did not ask for (no pending sign-in in this tab) and stays signed out', async () => {
    const { page, platform } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(heading).toBe('Sign in');
    await page.goto(`${platform.url}/?code=forged&state=forged#/dashboard`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Sign-in failed: This sign-in was not started here/);
    expect(page.url()).not.toContain('code=');
    expect(await heading()).toBe('Sign in');
  });
});
