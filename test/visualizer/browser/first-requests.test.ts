import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, launchChromium, openPage, waitForView } from './browser-session.js';

/**
 * The page's requests to the JSON API in the order they started, by route
 * (`/profile/web1/?…` → `profile`) and whether each started before d3 had
 * arrived; asserts that none was made twice.
 */
async function apiRequests(page: Page): Promise<{ route: string; beforeD3: boolean }[]> {
  const requests = await page.evaluate(() => {
    const entries = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).sort((a, b) => a.startTime - b.startTime);
    const d3 = entries.find((entry) => entry.name.endsWith('/vendor/d3.min.js'))!;
    return entries
      .map((entry) => ({ url: entry.name, route: new URL(entry.name).pathname.split('/')[1], beforeD3: entry.startTime < d3.responseEnd }))
      .filter(({ route }) => ['profile', 'diff', 'timeline', 'functions'].includes(route));
  });
  const urls = requests.map(({ url }) => url);
  assert.equal(new Set(urls).size, urls.length, `a request made twice: ${urls.join(', ')}`);
  return requests.map(({ route, beforeD3 }) => ({ route, beforeD3 }));
}

/** The API routes the page's head preloaded, in order, each requested before any script of the page had arrived. */
async function preloadedBeforeScripts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const entries = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).sort((a, b) => a.startTime - b.startTime);
    const firstScript = Math.min(...entries.filter((entry) => entry.initiatorType === 'script').map((entry) => entry.responseEnd));
    return entries
      .filter((entry) => entry.initiatorType === 'link' && new URL(entry.name).pathname.split('/').length > 3 && entry.startTime < firstScript)
      .map((entry) => new URL(entry.name).pathname.split('/')[1]);
  });
}

/** d3 held back half a second, as over a slow link: the page's first requests must not wait for it. */
const slowD3 = {
  beforeNavigation: (page: Page) => page.route('**/vendor/d3.min.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  }),
};

describe('the graph page\'s first requests', () => {
  let server: RunningVisualizer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startVisualizer({ configuredHosts: ['web1'] }), launchChromium()]);
    await server.store.write('web1', DEFAULT_NOW - 600, new Map([['main(app);work(app)', 30], ['main(app);idle(app)', 10]]));
    await server.store.write('web1', DEFAULT_NOW - 3600 - 600, new Map([['main(app);work(app)', 5]]));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  // graph.js can ask only once d3 has arrived and run; first-requests.js asks at once, and graph.js's fetch gets that answer.
  it('are started before the page\'s scripts run, and each is made once', async () => {
    const watched = await openPage(browser, `${server.url}/graph/web1/?from=-1h&until=now`, slowD3);
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.deepEqual(await apiRequests(page), [
      { route: 'profile', beforeD3: true },
      { route: 'timeline', beforeD3: true },
    ]);
    assert.equal(await page.locator('#total-samples').textContent(), '40 samples');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('ask for what the view in the URL needs: a comparison and the functions table', async () => {
    const watched = await openPage(browser, `${server.url}/graph/web1/?from=-1h&until=now&compare=previous&layout=both`, slowD3);
    const { page } = watched;
    await waitForView(page, 'ready');
    // Then the page asks for the baseline's functions, which it knows of only from the comparison's answer
    // (after the graph is drawn, so its answer may still be on the way when the page says ready).
    await page.waitForFunction(() => performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/functions/')).length === 2);
    assert.deepEqual(await apiRequests(page), [
      { route: 'diff', beforeD3: true },
      { route: 'timeline', beforeD3: true },
      { route: 'functions', beforeD3: true },
      { route: 'functions', beforeD3: false },
    ]);
    assert.equal(await page.locator('#total-samples').textContent(), '40 samples');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  // The page's head preloads them: no script of the page need arrive first (first-requests.js held back here).
  it('start from the page\'s head, and the page\'s fetches take those answers', async () => {
    const watched = await openPage(browser, `${server.url}/graph/web1/?from=-1h&until=now&layout=both`, {
      beforeNavigation: (page) => page.route('**/assets/first-requests.js', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await route.continue();
      }),
    });
    const { page } = watched;
    await waitForView(page, 'ready');
    // Preloads parsed in one piece of the head start together: the browser may time them in any order (CI saw
    // functions listed before timeline), so only which ones, each once, is the page's to promise.
    const preloaded = ['functions', 'profile', 'timeline'];
    assert.deepEqual((await apiRequests(page)).map(({ route }) => route).sort(), preloaded);
    assert.deepEqual((await preloadedBeforeScripts(page)).sort(), preloaded);
    assert.equal(await page.locator('#total-samples').textContent(), '40 samples');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  // The server cannot know the browser's zone: such a range is asked for by the page alone, still once.
  it('are left to the page when the range depends on the browser\'s time zone', async () => {
    // A day back without an offset: read in the browser's zone (or UTC), a time before now either way.
    const dayBefore = new Date((DEFAULT_NOW - 86400) * 1000).toISOString().slice(0, 16);
    for (const { tz, timezoneId, preloaded } of [
      { tz: '', timezoneId: 'America/New_York', preloaded: [] },
      { tz: '&tz=utc', timezoneId: 'America/New_York', preloaded: ['profile', 'timeline'] },
    ]) {
      const watched = await openPage(browser, `${server.url}/graph/web1/?from=${dayBefore}&until=now${tz}`, { timezoneId });
      const { page } = watched;
      await waitForView(page, 'ready');
      assert.deepEqual((await apiRequests(page)).map(({ route }) => route), ['profile', 'timeline'], tz);
      assert.deepEqual(await preloadedBeforeScripts(page), preloaded, tz);
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    }
  });

  it('are made again by the page when the view changes', async () => {
    const watched = await openPage(browser, `${server.url}/graph/web1/?from=-1h&until=now`);
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.locator('.presets button[data-from="-6h"]').click();
    await page.waitForFunction(() => performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/profile/')).length === 2);
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#total-samples').textContent(), '45 samples');
    assert.deepEqual((await apiRequests(page)).map(({ route }) => route), ['profile', 'timeline', 'profile', 'timeline']);
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });
});
