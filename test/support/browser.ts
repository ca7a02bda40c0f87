// The browser harness every UI test shares: builds the UIs (bin/build-web.ts) into a folder of the
// run, starts the local platform in-process (managed, DynamoDB Local in memory, seeded demo tenant)
// serving them, and drives Debian's chromium with playwright-core. Every test fails on a console error
// it did not announce; `checkAccessibility` runs axe-core (no serious or critical violation);
// `shoot` saves a screenshot to test-output/screenshots/ for a reviewer.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildWeb } from '../../bin/build-web.ts';
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '#local/platform';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve('test-output/screenshots');
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface BrowserSession {
  readonly page: Page;
  readonly platform: LocalPlatform;
  /** Console "Failed to load resource" lines the current test provokes on purpose (e.g. a 400 it expects). */
  expectFailures(...patterns: RegExp[]): void;
  /** Signs in through the shell's dev form and lands on the dashboard. */
  signIn(tenantId: string, userId: string, roles: string[]): Promise<void>;
  /** Presses Tab until the focused element's description matches (keyboard-only navigation). */
  tabTo(pattern: RegExp, max?: number): Promise<void>;
  checkAccessibility(name: string): Promise<void>;
  shoot(name: string): Promise<void>;
}

/** The element that has focus, looking inside shadow roots: a short description of it. */
export const focused = (p: Page) =>
  p.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    return `${el.tagName.toLowerCase()}#${el.id}[${el.getAttribute('name') ?? ''}]${(el.textContent ?? '').trim().slice(0, 40)}`;
  });

/** One browser page over one local platform for the calling describe block (`report` names its axe report; `options` go to the platform, e.g. `signIn`). */
export function useBrowser(report: string, options: Pick<LocalPlatformOptions, 'signIn' | 'corsOrigins'> = {}): BrowserSession {
  let platform: LocalPlatform;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const consoleErrors: string[] = [];
  let expected: RegExp[] = [];
  const axeReport: Record<string, unknown[]> = {};

  function onConsole(message: ConsoleMessage): void {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith('Failed to load resource') && expected.some((pattern) => pattern.test(text))) return;
    consoleErrors.push(`${text} (${message.location().url})`);
  }

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
    platform = await startLocalPlatform({ port: 0, inMemory: true, dataDir, webDir, log: () => undefined, ...options });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(8_000);
    page.on('console', onConsole);
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    if (Object.keys(axeReport).length > 0) {
      await writeFile(resolve(`test-output/axe-${report}.json`), `${JSON.stringify(axeReport, null, 2)}\n`).catch(() => undefined);
    }
    await browser?.close();
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = consoleErrors.splice(0);
    expected = [];
    expect(errors, 'console errors').toEqual([]);
  });

  return {
    get page() {
      return page;
    },
    get platform() {
      return platform;
    },
    expectFailures(...patterns) {
      expected = patterns;
    },
    async signIn(tenantId, userId, roles) {
      await page.goto(`${platform.url}/`);
      const signOut = page.getByRole('button', { name: 'Sign out' });
      // Wait until the shell has drawn either state: signed in (Sign out) or the dev form.
      await expect.poll(async () => (await signOut.isVisible()) || (await page.getByLabel('Tenant').isVisible())).toBe(true);
      if (await signOut.isVisible()) await signOut.click();
      await page.getByLabel('Tenant').fill(tenantId);
      await page.getByLabel('User').fill(userId);
      for (const role of ['owner', 'admin', 'moderator', 'member']) await page.getByLabel(role, { exact: true }).setChecked(roles.includes(role));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    },
    async tabTo(pattern, max = 40) {
      const seen: string[] = [];
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        seen.push(now);
        if (pattern.test(now)) return;
      }
      throw new Error(`Tab never reached ${pattern}; focus went through: ${seen.join(' -> ')}`);
    },
    async checkAccessibility(name) {
      await page.addScriptTag({ path: AXE_SCRIPT });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
      });
      axeReport[name] = violations;
      const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(blocking, `axe on ${name}`).toEqual([]);
    },
    async shoot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
  };
}
