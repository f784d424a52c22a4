import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));

/**
 * Features playwright-core turns off in every Chromium it launches
 * (chromiumSwitches.ts, as of 1.65; less Edge's own two). Chromium reads only the last
 * --disable-features it is given, so a launch that turns off more repeats them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin', 'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
];

/**
 * The omnibox popup's WebUI pages, which every new browser context's window
 * builds in a renderer of its own (chrome://omnibox-popup.top-chrome): about
 * 1 s of CPU per context on this machine, beside the page a test or the
 * bench loads in it, though a headless window never shows an omnibox. A
 * user's browser builds them once per window, not per page.
 */
const BROWSER_UI_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup', 'PreloadTopChromeWebUI'];

/** Debian's Chromium, headless: never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES].join(',')}`,
    ],
  });
}

/** A page plus what it did that a test must see: dialogs it opened, errors it threw and what its CSP refused. */
export interface WatchedPage {
  page: Page;
  dialogs: string[];
  /** Uncaught errors, and every Content-Security-Policy violation as `CSP violation: …`. */
  errors: string[];
}

/** The window sizes the page must work at: a desktop, a laptop and a phone. */
export const WINDOW_SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1440x900', width: 1440, height: 900 },
  { name: '390x844', width: 390, height: 844 },
] as const;

export interface PageOptions {
  /** Default UTC, so times read the same everywhere. */
  timezoneId?: string;
  /** Default 1280×800. */
  viewport?: { width: number; height: number };
  /** What `prefers-color-scheme` answers; default light. */
  colorScheme?: 'light' | 'dark';
  /** Run on the page before it navigates (e.g. to route its requests). */
  beforeNavigation?: (page: Page) => Promise<unknown>;
}

/** A fresh context with one page open at `url`. */
export async function openPage(
  browser: Browser, url: string,
  { timezoneId = 'UTC', viewport = { width: 1280, height: 800 }, colorScheme = 'light', beforeNavigation }: PageOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, timezoneId, colorScheme });
  const page = await context.newPage();
  const watched: WatchedPage = { page, dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  // The browser reports what the policy blocked (an inline script, a style attribute) as an event, not an error.
  await page.exposeFunction('reportCspViolation', (violation: string) => watched.errors.push(`CSP violation: ${violation}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(violation: string): void }).reportCspViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  await beforeNavigation?.(page);
  await page.goto(url);
  return watched;
}

export async function closePage({ page }: WatchedPage): Promise<void> {
  await page.context().close();
}

/** Waits until body[data-view] is `view` ('ready', 'empty', 'error'), then checks it. */
export async function waitForView(page: Page, view: string): Promise<void> {
  await page
    .waitForFunction((expected) => document.body.dataset.view === expected, view, { timeout: 20_000 })
    .catch(() => undefined); // the assertion below says what the page shows instead
  assert.equal(await page.evaluate(() => document.body.dataset.view), view, await messageOf(page));
}

async function messageOf(page: Page): Promise<string> {
  return `page message: ${await page.locator('#message').textContent()}`;
}

/** Waits for `selector`'s text to become `expected`, then asserts it (so a failure shows both texts). */
export async function waitForText(page: Page, selector: string, expected: string): Promise<void> {
  await page
    .waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent === text,
      [selector, expected] as const,
      { timeout: 20_000 },
    )
    .catch(() => undefined);
  assert.equal(await page.locator(selector).textContent(), expected, await messageOf(page));
}

/** The frames the flame graph draws, read from the SVG (each frame's <g name>). */
export function drawnFrames(page: Page): Promise<string[]> {
  return page.$$eval('#chart svg g.frame', (frames) => frames.map((g) => g.getAttribute('name') ?? ''));
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}
