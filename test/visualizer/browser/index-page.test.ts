import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { tempFolder } from '../../support/temp-folder.js';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, launchChromium, openPage, saveScreenshot, waitForView } from './browser-session.js';

const NOW = DEFAULT_NOW;
const PUSHED = 'pushed <b>job</b>';
const REASON = 'connect ECONNREFUSED 127.0.0.1:1 <script>alert(2)</script>';

/** The text columns of each row (the sparkline column has no text). */
function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('#hosts tbody tr', (rows) =>
    rows.map((row) => [...row.querySelectorAll('td:not(.spark-col)')].map((td) => td.textContent ?? '')));
}

function links(page: Page): Promise<Array<[string, string]>> {
  return page.$$eval('#hosts a', (anchors) =>
    anchors.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? ''] as [string, string]));
}

describe('the host index page', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  describe('with hosts', () => {
    let server: RunningVisualizer;
    before(async () => {
      server = await startVisualizer({ configuredHosts: ['web1', 'down-host'] });
      await server.store.write('web1', NOW - 120, new Map([['main(a);work(a)', 42]]));
      await server.store.write('web1', NOW - 7200, new Map([['main(a);work(a)', 1000]]));
      await server.store.recordSuccess('web1', NOW - 120);
      await server.store.recordError('down-host', NOW - 30, REASON);
      await server.store.write(PUSHED, NOW - 600, new Map([['job(x)', 5]]));
    });
    after(async () => {
      await server?.close();
    });

    it('lists every host with its last collection, last error and samples of the last hour, as text', async () => {
      const watched = await openPage(browser, `${server.url}/`);
      const { page } = watched;
      await waitForView(page, 'ready');
      assert.deepEqual(await tableRows(page), [
        ['all hosts', '3 hosts merged', '', '47'],
        ['web1', '2 min ago', '', '42'],
        ['down-host', 'never', `30 s ago: ${REASON}`, '0'],
        [`${PUSHED} not configured forget`, 'never', '', '5'],
      ]);
      assert.deepEqual(await links(page), [
        ['all hosts', '/graph/_all/'],
        ['web1', '/graph/web1/'],
        ['down-host', '/graph/down-host/'],
        [PUSHED, `/graph/${encodeURIComponent(PUSHED)}/`],
      ]);
      assert.equal(await page.locator('#hosts b, #hosts script').count(), 0, 'names and reasons are text, not markup');
      assert.equal(await page.locator('#hosts td.error').textContent(), `30 s ago: ${REASON}`);
      await saveScreenshot(page, 'index-hosts');
      assert.deepEqual(watched.dialogs, []);
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    it('opens the graph of a host whose name is markup, and shows the name as text', async () => {
      const watched = await openPage(browser, `${server.url}/`);
      const { page } = watched;
      await page.getByRole('link', { name: PUSHED, exact: true }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/graph/'));
      await waitForView(page, 'ready');
      assert.equal(await page.locator('#host-name').textContent(), PUSHED);
      assert.equal(await page.locator('#host-name b').count(), 0);
      assert.equal(await page.locator('#total-samples').textContent(), '5 samples');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    it('refreshes every 10 s while seen; a hidden tab asks nothing until it is seen again, then at once', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.clock.install(); // the page's timers run when the test says
      let asked = 0;
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/hosts') asked += 1;
      });
      /** Headless Chromium shows every tab: the page is told it is hidden or shown as a browser would tell it. */
      const setHidden = (hidden: boolean) => page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, value });
        Object.defineProperty(document, 'visibilityState', { configurable: true, value: value ? 'hidden' : 'visible' });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
      const askedAfter = async (ms: number) => {
        await page.clock.runFor(ms);
        await waitForView(page, 'ready');
        await page.evaluate(() => fetch('/healthz')); // the page's own requests, if any, were made before this one
        return asked;
      };
      await page.goto(`${server.url}/`);
      await waitForView(page, 'ready');
      assert.equal(asked, 1);
      assert.equal(await askedAfter(10_500), 2, 'refreshed after 10 s');
      await setHidden(true);
      assert.equal(await askedAfter(45_000), 2, 'nothing asked while hidden');
      await setHidden(false);
      await page.waitForFunction(() => document.body.dataset.view === 'ready');
      assert.equal(await askedAfter(0), 3, 'asked at once when seen again');
      assert.equal(await askedAfter(10_500), 4, 'and every 10 s after');
      await context.close();
    });

    it('shows a network failure instead of a blank page', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.route(/\/hosts(\?|$)/, (route) => route.abort('connectionrefused'));
      await page.goto(`${server.url}/`);
      await waitForView(page, 'error');
      assert.match((await page.locator('#message').textContent()) ?? '', /^Could not load the hosts: cannot reach the server/);
      await context.close();
    });
  });

  it('runs under the Content-Security-Policy, which would block an inline script', async () => {
    // The real page's violations would show in `errors` in every test above; this proves they would show.
    const publicDir = tempFolder('csp');
    await writeFile(path.join(publicDir, 'index.html'), '<!doctype html><title>x</title><script>document.title = "ran"</script>');
    const server = await startVisualizer({ publicDir });
    try {
      const watched = await openPage(browser, `${server.url}/`);
      assert.equal(await watched.page.title(), 'x', 'the inline script did not run');
      assert.equal(watched.errors.length, 1, watched.errors.join('\n'));
      assert.match(watched.errors[0], /^CSP violation: script-src-elem blocked inline/);
      await closePage(watched);
    } finally {
      await server.close();
    }
  });

  describe('with labelled series', () => {
    let server: RunningVisualizer;
    const agent = (type: string, runtime: string, region: string) =>
      `shop{__type__=${type},otel.scope.version=0.6.4,process.runtime.version=${runtime},region=${region}}`;
    before(async () => {
      server = await startVisualizer({ configuredHosts: ['web1'] });
      await server.store.write(agent('cpu', '20.1', 'eu'), NOW - 60, new Map([['main;a', 1]]));
      await server.store.write(agent('cpu', '20.2', 'eu'), NOW - 60, new Map([['main;a', 2]]));
      await server.store.write(agent('wall', '20.2', 'eu'), NOW - 60, new Map([['main;a', 40]]));
      await server.store.write(agent('cpu', '20.2', 'us'), NOW - 60, new Map([['main;b', 300]]));
    });
    after(async () => {
      await server?.close();
    });

    it('groups series by app, one row per chosen labels, agent labels shown but not splitting rows; all hosts is CPU only', async () => {
      const watched = await openPage(browser, `${server.url}/`);
      const { page } = watched;
      await waitForView(page, 'ready');
      const internal = 'otel.scope.version=0.6.4, process.runtime.version=';
      assert.deepEqual(await tableRows(page), [
        ['all hosts', '4 hosts merged', '', '303'],
        ['web1', 'never', '', '0'],
        ['shop', '3 series', '', '343'],
        [`__type__=cpu, region=eu ${internal}20.1|20.2 not configured forget`, 'never', '', '3'],
        [`__type__=cpu, region=us ${internal}20.2 not configured forget`, 'never', '', '300'],
        [`__type__=wall, region=eu ${internal}20.2 not configured forget`, 'never', '', '40'],
      ]);
      const selector = 'shop{__type__="cpu",region="eu"}';
      assert.deepEqual((await links(page)).slice(2, 4), [
        ['shop', '/graph/shop/'],
        ['__type__=cpu, region=eu', `/graph/${encodeURIComponent(selector)}/`],
      ]);
      // Wait for the graph page itself: the index, still shown as the click starts, is 'ready' too.
      await Promise.all([page.waitForURL(/\/graph\//), page.getByRole('link', { name: '__type__=cpu, region=eu', exact: true }).click()]);
      await waitForView(page, 'ready');
      assert.equal(await page.locator('#total-samples').textContent(), '3 samples');
      await saveScreenshot(page, 'index-series');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  });

  it('says there are no hosts yet when none is configured or stored', async () => {
    const server = await startVisualizer();
    try {
      const watched = await openPage(browser, `${server.url}/`);
      const { page } = watched;
      await waitForView(page, 'empty');
      assert.match((await page.locator('#message').textContent()) ?? '', /^No hosts yet\./);
      assert.equal(await page.locator('#hosts').isVisible(), false);
      await saveScreenshot(page, 'index-empty');
      await closePage(watched);
    } finally {
      await server.close();
    }
  });
});
