// Issue 10, first step: the plugin UIs in a real browser. Builds the UIs (bin/build-web.ts), starts the
// local platform in-process (managed, DynamoDB Local in memory, seeded demo tenant) serving them, and
// drives Debian's chromium with playwright-core: dev sign-in (keyboard only), the dashboard overview,
// Hosting (create an app, add a domain and see its TXT record, verify it), Admin (an app key's secret
// shown once, the plan with its usage chart), a free tenant's 402 upgrade prompt, and a member who is
// not offered what they may not do. Every page: axe-core (no serious/critical violation), no console
// error, a screenshot in test-output/screenshots/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../bin/build-web.ts';
import { startLocalPlatform, type LocalPlatform } from '#local/platform';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve('test-output/screenshots');
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let platform: LocalPlatform;
let browser: Browser;
let page: Page;
let dataDir: string;
/** Console errors and uncaught exceptions of the page, with where they came from. */
const consoleErrors: string[] = [];
/** Network-failure console lines the current test provokes on purpose (e.g. a 400 it expects). */
let expectedFailures: RegExp[] = [];
/** Every page's axe violations (any impact), written to test-output/axe-report.json for a reviewer. */
const axeReport: Record<string, unknown[]> = {};

function onConsole(message: ConsoleMessage): void {
  if (message.type() !== 'error') return;
  const text = message.text();
  const url = message.location().url;
  if (text.startsWith('Failed to load resource') && expectedFailures.some((pattern) => pattern.test(text))) return;
  consoleErrors.push(`${text} (${url})`);
}

/** The element that has focus, looking inside shadow roots: a short description of it. */
const focused = (p: Page) =>
  p.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    return `${el.tagName.toLowerCase()}#${el.id}[${el.getAttribute('name') ?? ''}]${(el.textContent ?? '').trim().slice(0, 40)}`;
  });

/** Presses Tab until the focused element's description matches (keyboard-only navigation). */
async function tabTo(p: Page, pattern: RegExp, max = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    const now = await focused(p);
    seen.push(now);
    if (pattern.test(now)) return;
  }
  throw new Error(`Tab never reached ${pattern}; focus went through: ${seen.join(' -> ')}`);
}

async function checkAccessibility(p: Page, name: string): Promise<void> {
  await p.addScriptTag({ path: AXE_SCRIPT });
  const violations = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
  axeReport[name] = violations;
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `axe on ${name}`).toEqual([]);
}

async function shoot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(p: Page, tenantId: string, userId: string, roles: string[]): Promise<void> {
  await p.goto(`${platform.url}/`);
  const signOut = p.getByRole('button', { name: 'Sign out' });
  if (await signOut.isVisible()) await signOut.click();
  await p.getByLabel('Tenant').fill(tenantId);
  await p.getByLabel('User').fill(userId);
  for (const role of ['owner', 'admin', 'moderator', 'member']) await p.getByLabel(role, { exact: true }).setChecked(roles.includes(role));
  await p.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
}

describe('plugin UIs in a browser', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`The browser tests need Chromium at ${CHROMIUM} (set CHROMIUM_PATH to use another). Install it: apt-get install -y --no-install-recommends chromium (.ci/run does).`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'mozaiks-browser-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    // Built into a folder of this run (the same build as `npm run build:web`), so a concurrent
    // build or `cdk synth` never sees plugins-web/dist half-written.
    const webDir = join(dataDir, 'web');
    await buildWeb({ outDir: webDir });
    platform = await startLocalPlatform({ port: 0, inMemory: true, dataDir, webDir, log: () => undefined });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(8_000);
    page.on('console', onConsole);
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    if (Object.keys(axeReport).length > 0) await writeFile(resolve('test-output/axe-report.json'), `${JSON.stringify(axeReport, null, 2)}\n`).catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = consoleErrors.splice(0);
    expectedFailures = [];
    expect(errors, 'console errors').toEqual([]);
  });

  it('signs in with the dev issuer, by keyboard only', async () => {
    await page.goto(`${platform.url}/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await checkAccessibility(page, 'sign-in');
    await shoot(page, '01-sign-in');

    await tabTo(page, /^a#/); // the skip link comes first
    await tabTo(page, /^input#tenantId/);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('demo');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^input#userId/);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('demo-owner');
    await page.keyboard.press('Enter'); // submits the form (owner is checked by default)

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    const nav = page.getByRole('navigation', { name: 'Plugins' });
    await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Hosting', 'Admin']);
    expect(await page.evaluate(() => sessionStorage.getItem('mozaiks.session'))).toContain('"tenantId":"demo"');

    // Keyboard on to Hosting and open it with Enter.
    await tabTo(page, /^a#\[\]Hosting/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hosting');
    await expect.poll(() => page.locator('moz-platform-hosting table').count()).toBe(1);
  });

  it('dashboard: the overview renders its sections', async () => {
    await page.goto(`${platform.url}/#/dashboard`);
    const sections = page.locator('moz-platform-dashboard section[data-section]');
    await expect.poll(() => sections.count()).toBe(6);
    const statuses = await sections.evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-section'), n.getAttribute('data-status')])));
    expect(statuses).toEqual({ apps: 'ok', plan: 'ok', messages: 'ok', fundingPositions: 'ok', fundingRounds: 'ok', campaigns: 'ok' });
    await expect.poll(() => page.locator('moz-platform-dashboard section[data-section="plan"] canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('moz-platform-dashboard section[data-section="messages"]').textContent()).toMatch(/unread message/);
    await checkAccessibility(page, 'dashboard');
    await shoot(page, '02-dashboard');
  });

  it('hosting: create an app, see it listed; add a domain, see its TXT record, verify it', async () => {
    await page.goto(`${platform.url}/#/hosting`);
    const hosting = page.locator('moz-platform-hosting');
    await expect.poll(() => hosting.getByRole('button', { name: 'Create app' }).count()).toBe(1);

    // A bad slug: the API's field error is shown beside the Slug field.
    expectedFailures = [/status of 400/];
    await hosting.getByLabel('Name').fill('Browser shop');
    await hosting.getByLabel('Slug').fill('Not A Slug!');
    await hosting.getByRole('button', { name: 'Create app' }).click();
    await expect.poll(() => hosting.locator('#create-slug-error').textContent()).toMatch(/lower-case/);
    expect(await hosting.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true');

    await hosting.getByLabel('Slug').fill('browser-shop');
    await hosting.getByRole('button', { name: 'Create app' }).click();
    await expect.poll(() => hosting.getByRole('button', { name: 'Browser shop' }).count()).toBe(1);
    expect(await hosting.locator('table').textContent()).toContain('browser-shop');
    await checkAccessibility(page, 'hosting list');
    await shoot(page, '03-hosting-apps');

    await hosting.getByRole('button', { name: 'Browser shop' }).click();
    await expect.poll(() => hosting.getByRole('heading', { level: 2 }).textContent()).toMatch(/Browser shop/);
    await hosting.getByLabel('Domain', { exact: true }).fill('shop.example.com');
    await hosting.getByRole('button', { name: 'Add domain' }).click();
    const txt = hosting.locator('td.txt');
    await expect.poll(() => txt.count()).toBe(1);
    const record = (await txt.locator('code').allTextContents()) as [string, string];
    expect(record[0]).toBe('_mozaiks-challenge.shop.example.com');
    expect(record[1]).toMatch(/^mozaiks-verify=/);
    await checkAccessibility(page, 'hosting app');
    await shoot(page, '04-hosting-app-domain');

    // Publish the record with the dev DNS, then verify from the UI.
    const published = await fetch(`${platform.url}/dev/dns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: record[0], values: [record[1]] }) });
    expect(published.status).toBe(200);
    await hosting.getByRole('button', { name: 'Verify shop.example.com' }).click();
    await expect.poll(() => hosting.locator('tbody tr', { hasText: 'shop.example.com' }).textContent()).toMatch(/verified/);

    // Deploy: the deployment is listed.
    await hosting.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(() => hosting.getByText(/Deployment .* queued/).count()).toBe(1);
    await expect.poll(() => hosting.locator('table').first().textContent()).toMatch(/queued|running/);
  });

  it('admin: an app key is created and its secret shown once; the plan shows usage against limits', async () => {
    await page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Admin' }).click();
    const admin = page.locator('moz-platform-admin');
    await expect.poll(() => admin.locator('table').count()).toBe(1); // users
    await admin.getByRole('button', { name: 'App keys' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/admin/keys');
    await admin.getByLabel('Key name').fill('ci-runtime');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const secret = admin.locator('.secret-value');
    await expect.poll(() => secret.count()).toBe(1);
    const value = (await secret.textContent()) ?? '';
    expect(value).toMatch(/^mzk\.demo\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}$/);
    await expect.poll(() => admin.locator('tbody').textContent()).toContain('ci-runtime');
    await checkAccessibility(page, 'admin keys');
    await shoot(page, '05-admin-app-key');

    // Shown once: dismissed, it is gone, and the list never shows it.
    await admin.getByRole('button', { name: 'I have stored it' }).click();
    expect(await admin.locator('.secret-value').count()).toBe(0);
    await admin.getByRole('button', { name: 'Users' }).click();
    await admin.getByRole('button', { name: 'App keys' }).click();
    await expect.poll(() => admin.locator('tbody').textContent()).toContain('ci-runtime');
    expect(await page.locator('body').evaluate((body) => body.outerHTML + (document.querySelector('moz-platform-admin')?.shadowRoot?.innerHTML ?? ''))).not.toContain(value);

    await admin.getByRole('button', { name: 'Plan and billing' }).click();
    await expect.poll(() => admin.locator('moz-usage-chart canvas').count()).toBeGreaterThan(0);
    expect(await admin.locator('dl').textContent()).toMatch(/business/);
    expect(await admin.getByLabel('New plan').count()).toBe(1);
    await checkAccessibility(page, 'admin plan');
    await shoot(page, '06-admin-plan');
  });

  it('a free tenant gets an upgrade prompt (402) that leads to the plan, and no domain form', async () => {
    expectedFailures = [/status of 402/];
    await signIn(page, `free-${Date.now()}`, 'founder', ['owner']);
    await page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Hosting' }).click();
    const hosting = page.locator('moz-platform-hosting');
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
    await checkAccessibility(page, 'hosting 402');
    await shoot(page, '07-hosting-upgrade-prompt');

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
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/admin/plan');
    await expect.poll(() => page.locator('moz-platform-admin').getByLabel('New plan').count()).toBe(1);
  });

  it('a member is not offered what their roles do not allow', async () => {
    await signIn(page, 'demo', 'a-member', ['member']);
    await page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Hosting' }).click();
    const hosting = page.locator('moz-platform-hosting');
    await expect.poll(() => hosting.locator('table').count()).toBe(1);
    expect(await hosting.getByRole('button', { name: 'Create app' }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Plugins' }).getByRole('link', { name: 'Admin' }).click();
    const admin = page.locator('moz-platform-admin');
    await expect.poll(() => admin.locator('nav.tabs button').allTextContents()).toEqual(['Users', 'Roles', 'Plan and billing']);
    expect(await admin.getByRole('button', { name: 'Save roles' }).count()).toBe(0);
    await checkAccessibility(page, 'admin as member');
    await shoot(page, '08-admin-member');
  });
});
