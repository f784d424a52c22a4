import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, launchChromium, openPage, saveScreenshot, waitForText, waitForView, type WatchedPage } from './browser-session.js';

const NOW = DEFAULT_NOW;
const SECRET = 'index-s3cr3t';
const TYPO = 'typo-hsot';
const LONG = 'payments-gateway.internal.example.com';
const SIZES = [{ width: 1440, height: 900 }, { width: 390, height: 844 }];

/** The host column of each row below "all hosts", as the links read. */
function shownHosts(page: Page): Promise<string[]> {
  return page.$$eval('#hosts tbody tr:not(.all-hosts) td:first-child a', (links) => links.map((a) => a.textContent ?? ''));
}

function query(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

/** Clicks a sortable column's header and waits for the URL to say it. */
async function sortBy(page: Page, heading: string, sort: string, order: string): Promise<void> {
  await page.locator('#hosts th button', { hasText: heading }).click();
  await page.waitForFunction(([s, o]) => {
    const params = new URLSearchParams(location.search);
    return params.get('sort') === s && (params.get('order') ?? (s === 'name' ? 'asc' : 'desc')) === o;
  }, [sort, order] as const);
}

describe('the host list: sort, filter, sparklines, forget', () => {
  let browser: Browser;
  let server: RunningVisualizer;
  before(async () => {
    browser = await launchChromium();
    server = await startVisualizer({ configuredHosts: ['web2', 'web10', 'db'], collectorSecret: SECRET });
    const { store } = server;
    await store.write('web2', NOW - 120, new Map([['main;a', 10]]));
    await store.recordSuccess('web2', NOW - 120);
    await store.write('web10', NOW - 1800, new Map([['main;a', 4]]));
    await store.write('web10', NOW - 30, new Map([['main;b', 3]]));
    await store.recordSuccess('web10', NOW - 30);
    await store.write(TYPO, NOW - 600, new Map([['main;a', 5]]));
    await store.write(LONG, NOW - 20 * 3600, new Map([['main;c', 1234567]]));
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });

  const open = async (search = ''): Promise<WatchedPage> => {
    const watched = await openPage(browser, `${server.url}/${search}`);
    await waitForView(watched.page, 'ready');
    return watched;
  };

  for (const size of SIZES) {
    it(`sorts by name, last collection and samples from the headers, kept in the URL (${size.width}×${size.height})`, async () => {
      const watched = await open();
      const { page } = watched;
      await page.setViewportSize(size);
      assert.deepEqual(await shownHosts(page), ['web2', 'web10', 'db', LONG, TYPO], 'config order, then stored hosts');
      await sortBy(page, 'host', 'name', 'asc');
      assert.deepEqual(await shownHosts(page), ['db', LONG, TYPO, 'web2', 'web10'], 'web2 before web10');
      assert.equal(await page.locator('#hosts th[aria-sort="ascending"]').textContent(), 'host');
      await sortBy(page, 'samples, last hour', 'samples', 'desc');
      assert.deepEqual(await shownHosts(page), ['web2', 'web10', TYPO, 'db', LONG]);
      // Keyboard only: the header is a button.
      await page.locator('#hosts th button', { hasText: 'samples, last hour' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('order') === 'asc');
      assert.deepEqual(await shownHosts(page), ['db', LONG, TYPO, 'web10', 'web2']);
      await sortBy(page, 'last collection', 'last', 'desc');
      assert.deepEqual((await shownHosts(page)).slice(0, 2), ['web10', 'web2'], 'newest collection first, never collected last');
      // A reload (or a pasted link) shows the same order.
      await page.reload();
      await waitForView(page, 'ready');
      assert.deepEqual((await shownHosts(page)).slice(0, 2), ['web10', 'web2']);
      assert.equal(await page.locator('#hosts th[aria-sort="descending"]').textContent(), 'last collection');
      await saveScreenshot(page, `index-sorted-${size.width}`);
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  }

  it('filters literally and in any case as one types, the filter in the URL and kept by a reload', async () => {
    const watched = await open('?sort=name');
    const { page } = watched;
    await page.setViewportSize(SIZES[0]);
    await page.locator('#host-filter').fill('WEB');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('filter') === 'WEB');
    assert.deepEqual(await shownHosts(page), ['web2', 'web10']);
    assert.equal(query(page).get('sort'), 'name', 'the sort stays');
    await page.locator('#host-filter').fill('.internal.');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('filter') === '.internal.');
    assert.deepEqual(await shownHosts(page), [LONG]);
    await page.reload();
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#host-filter').inputValue(), '.internal.');
    assert.deepEqual(await shownHosts(page), [LONG]);
    await saveScreenshot(page, 'index-filtered-1440');
    await page.locator('#host-filter').fill('web.*');
    await waitForText(page, '#message', 'No host matches “web.*”.');
    assert.deepEqual(await shownHosts(page), [], 'a pattern is text');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('draws a sparkline per row over the last hour, or the last day after the switch', async () => {
    const watched = await open();
    const { page } = watched;
    await page.setViewportSize(SIZES[0]);
    const rows = await page.locator('#hosts tbody tr').count();
    assert.equal(await page.locator('#hosts tbody td.spark-col svg.sparkline').count(), rows, 'one line per row');
    const label = (host: string) =>
      page.locator('#hosts tbody tr', { has: page.getByRole('link', { name: host, exact: true }) }).locator('svg.sparkline').getAttribute('aria-label');
    assert.equal(await label('web10'), 'samples per 1 min over the last hour: peak 4');
    assert.equal(await label(LONG), 'samples per 1 min over the last hour: peak 0', 'twenty hours ago is not in the hour');
    assert.match((await page.locator('#hosts svg.sparkline .spark-line').first().getAttribute('d')) ?? '', /^M0,/);
    await saveScreenshot(page, 'index-sparklines-1440');
    await page.getByRole('button', { name: 'last day' }).click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('spark') === '1d');
    await page.waitForFunction(() => document.querySelector('svg.sparkline')?.getAttribute('aria-label')?.includes('last day'));
    assert.equal(await page.locator('#spark-heading').textContent(), 'last day');
    assert.equal(await label(LONG), 'samples per 15 min over the last day: peak 1,234,567');
    assert.equal(await page.getByRole('button', { name: 'last day' }).getAttribute('aria-pressed'), 'true');
    await page.setViewportSize(SIZES[1]);
    await saveScreenshot(page, 'index-sparklines-day-390');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('at 390 px, counts and times stay on one line and names wrap only after a separator', async () => {
    const watched = await open();
    const { page } = watched;
    await page.setViewportSize(SIZES[1]);
    const breaks = await page.$$eval('#hosts td.number, #hosts td.when, #hosts td:first-child a', (elements) =>
      elements.map((element) => {
        // Where a line begins inside the text: the character before it ends the previous line.
        const text = element.textContent ?? '';
        const range = document.createRange();
        const tops: number[] = [];
        let offset = 0;
        for (const node of [...element.childNodes].filter((child) => child.nodeType === Node.TEXT_NODE)) {
          for (let i = 0; i < (node.textContent ?? '').length; i++, offset++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            tops[offset] = Math.round(range.getBoundingClientRect().top);
          }
        }
        const after = tops.flatMap((top, i) => (i > 0 && top !== tops[i - 1] ? [text[i - 1]] : []));
        return { text, number: !element.matches('a'), after };
      }));
    assert.ok(breaks.some((b) => b.text === LONG && b.after.length > 0), `the long name wraps at 390 px: ${JSON.stringify(breaks)}`);
    for (const { text, number, after } of breaks) {
      if (number) assert.deepEqual(after, [], `${text} on one line`);
      else for (const char of after) assert.match(char, /[.,:/{}=\-\s]/, `${text} wraps after a separator only`);
    }
    const widths = await page.evaluate(() => {
      const table = document.querySelector('.hosts-scroll')!;
      return { page: document.documentElement.scrollWidth, table: table.scrollWidth, shown: table.clientWidth };
    });
    assert.ok(widths.page <= 390, `the page is no wider than the phone (${widths.page} px)`);
    // One pixel: the collapsed borders' half pixel, rounded.
    assert.ok(widths.table <= widths.shown + 1, `every column fits without scrolling (${JSON.stringify(widths)})`);
    await saveScreenshot(page, 'index-390');
    await closePage(watched);
  });

  it('forgets a host that is not configured after asking for the secret in a form, never a prompt', async () => {
    const watched = await open();
    const { page } = watched;
    await page.setViewportSize(SIZES[0]);
    assert.equal(await page.locator('#hosts button.forget').count(), 2, 'only the two hosts that are not configured');
    await page.getByRole('button', { name: `Forget ${TYPO}` }).click();
    const dialog = page.locator('#forget-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#forget-name').textContent(), TYPO);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'forget-secret', 'the secret box has the focus');
    await page.keyboard.type('wrong');
    await page.keyboard.press('Enter');
    await waitForText(page, '#forget-error', `Could not forget ${TYPO}: 403: wrong or missing Profiler-Token`);
    assert.ok(await dialog.isVisible(), 'the form stays open to try again');
    assert.ok(server.store.hosts().includes(TYPO));
    await saveScreenshot(page, 'index-forget-1440');
    await page.locator('#forget-secret').fill(SECRET);
    await page.getByRole('button', { name: 'Forget', exact: true }).click();
    await waitForText(page, '#notice', `Forgot ${TYPO}: 5 samples deleted.`);
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction((name) => ![...document.querySelectorAll('#hosts a')].some((a) => a.textContent === name), TYPO);
    assert.deepEqual(server.store.hosts(), [LONG, 'web10', 'web2']);
    assert.equal(await page.locator('#forget-secret').inputValue(), '', 'the secret is not kept');
    // Cancel leaves everything as it was.
    await page.getByRole('button', { name: `Forget ${LONG}` }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.ok(server.store.hosts().includes(LONG));
    assert.deepEqual(watched.dialogs, [], 'no window.prompt');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });
});
