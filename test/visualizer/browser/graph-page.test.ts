import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import {
  closePage, drawnFrames, launchChromium, openPage, saveScreenshot, waitForText, waitForView,
} from './browser-session.js';

const NOW = DEFAULT_NOW;
const MINUTE = 60;
const EVIL = '<img src=x onerror=alert(1)>(evil)';
const MAIN = '<module>(__main__)';
const HIGHLIGHT_COLOR = '#d6249f'; // public/assets/flame-chart.js

/**
 * web1's samples: 130 fifty minutes ago, 10 ten minutes ago, 1000 three hours
 * ago, so the last hour, the last 15 minutes, the last 6 hours and the early
 * bar of the timeline each have a total of their own.
 */
async function writeWeb1(server: RunningVisualizer): Promise<void> {
  await server.store.write('web1', NOW - 50 * MINUTE, new Map([
    [`${MAIN};serve(app);handle(app);query(app.db)`, 60],
    [`${MAIN};serve(app);handle(app)`, 40],
    [`${MAIN};serve(app);${EVIL}`, 20],
    [`${MAIN};gc(runtime)`, 10],
  ]));
  await server.store.write('web1', NOW - 10 * MINUTE, new Map([
    [`${MAIN};serve(app);handle(app)`, 7],
    [`${MAIN};idle(app)`, 3],
  ]));
  await server.store.write('web1', NOW - 180 * MINUTE, new Map([[`${MAIN};batch(app)`, 1000]]));
}

const LABEL = 'team/api v2 ✓ ü';

describe('the flame-graph page', () => {
  let server: RunningVisualizer;
  let browser: Browser;
  const graphUrl = (host: string, query = '') => `${server.url}/graph/${encodeURIComponent(host)}/${query}`;

  before(async () => {
    [server, browser] = await Promise.all([
      startVisualizer({ configuredHosts: ['web1', 'quiet', LABEL] }),
      launchChromium(),
    ]);
    await writeWeb1(server);
    await server.store.write(LABEL, NOW - 5 * MINUTE, new Map([['main(svc);work(svc)', 42]]));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws every frame of the last hour by default, with the totals in the header', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.deepEqual(
      (await drawnFrames(page)).sort(),
      ['all', MAIN, 'serve(app)', 'handle(app)', 'query(app.db)', EVIL, 'gc(runtime)', 'idle(app)'].sort(),
    );
    assert.equal(await page.locator('#host-name').textContent(), 'web1');
    assert.equal(await page.locator('#total-samples').textContent(), '140 samples');
    assert.equal(await page.locator('#range-text').textContent(), '2024-05-01 11:00:00 – 2024-05-01 12:00:00 UTC');
    assert.equal(await page.locator('#pruned-note').textContent(), '');
    const query = new URL(page.url()).searchParams;
    assert.deepEqual([query.get('from'), query.get('until')], ['-1h', 'now'], 'the default range is spelled out in the URL');
    await saveScreenshot(page, 'graph-default-range');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('shows a frame name full of markup as text in labels and tooltip, and runs none of it', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    const evilFrame = page.locator(`#chart g.frame[name="${EVIL}"]`);
    await page.waitForFunction((name) => [...document.querySelectorAll('#chart .d3-flame-graph-label')]
      .some((label) => label.textContent === name), EVIL);
    await evilFrame.hover();
    const tooltip = page.locator('.d3-flame-graph-tip');
    await waitForText(page, '.d3-flame-graph-tip', `${EVIL}\n20 samples, 14.3% of the total\nself 20 samples, 14.3% of the total\npackage evil`);
    assert.equal(await tooltip.evaluate((el) => el.children.length), 0, 'the tooltip holds text, no elements');
    await page.locator(`#chart g.frame[name="${MAIN}"]`).hover();
    await waitForText(page, '.d3-flame-graph-tip', `${MAIN}\n140 samples, 100.0% of the total\nself 0 samples, 0.0% of the total\npackage __main__`);
    await page.locator('#search-input').fill('onerror');
    await waitForText(page, '#search-result', '20 samples (14.3%) match');
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created from a frame name');
    await saveScreenshot(page, 'graph-markup-frame-as-text');
    assert.deepEqual(watched.dialogs, []);
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('highlights search matches literally and counts nested matches once', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    // 'app' matches serve(app) and the handle(app), query(app.db) inside it, and idle(app):
    // 127 + 3 samples, not 127 + 107 + 60 + 3.
    await page.locator('#search-input').fill('app');
    await waitForText(page, '#search-result', '130 samples (92.9%) match');
    // A regex special is a character like any other: '(app' is no unterminated group.
    await page.locator('#search-input').fill('handle(app');
    await waitForText(page, '#search-result', '107 samples (76.4%) match');
    const fills = await page.$$eval('#chart g.frame', (frames) =>
      Object.fromEntries(frames.map((g) => [g.getAttribute('name'), g.querySelector('rect')?.getAttribute('fill')])));
    assert.equal(fills['handle(app)'], HIGHLIGHT_COLOR);
    assert.notEqual(fills['serve(app)'], HIGHLIGHT_COLOR);
    assert.notEqual(fills['query(app.db)'], HIGHLIGHT_COLOR);
    assert.equal(new URL(page.url()).searchParams.get('search'), 'handle(app');
    await saveScreenshot(page, 'graph-search');
    await page.locator('#search-input').fill('');
    await waitForText(page, '#search-result', '');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('redraws with a preset range and with a range brushed on the timeline', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');

    await page.getByRole('button', { name: '15m', exact: true }).click();
    await waitForText(page, '#total-samples', '10 samples');
    assert.deepEqual((await drawnFrames(page)).sort(), ['all', MAIN, 'serve(app)', 'handle(app)', 'idle(app)'].sort());
    assert.equal(new URL(page.url()).searchParams.get('from'), '-15m');

    await page.getByRole('button', { name: '6h', exact: true }).click();
    await waitForText(page, '#total-samples', '1,140 samples');
    assert.ok((await drawnFrames(page)).includes('batch(app)'));

    await page.getByRole('button', { name: 'all', exact: true }).click();
    await waitForText(page, '#range-text', 'all data until 2024-05-01 12:00:00 UTC');
    assert.equal(await page.locator('#total-samples').textContent(), '1,140 samples');

    await page.getByRole('button', { name: '6h', exact: true }).click();
    // "all" showed 1,140 samples too: wait for the six hours' range, so the timeline read below is theirs.
    await waitForText(page, '#range-text', '2024-05-01 06:00:00 – 2024-05-01 12:00:00 UTC');
    assert.equal(await page.locator('#total-samples').textContent(), '1,140 samples');
    // web1's collections are 40 to 130 minutes apart, so the timeline's windows are hours:
    // brush across the first bar with samples, three hours ago, alone.
    const bars = await page.$$eval('#timeline rect.bar', (rects) => rects
      .map((rect) => rect.getBoundingClientRect())
      .filter((box) => box.height > 0)
      .map((box) => ({ left: box.left, right: box.right, middle: box.top + box.height / 2 })));
    assert.equal(bars.length, 2, 'one bar three hours ago and one in the last hour');
    const [early] = bars;
    await page.mouse.move(early.left - 1, early.middle);
    await page.mouse.down();
    await page.mouse.move(early.right + 1, early.middle, { steps: 5 });
    await page.mouse.up();
    await waitForText(page, '#total-samples', '1,000 samples');
    const query = new URL(page.url()).searchParams;
    assert.match(query.get('from') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'brushed times are ISO 8601');
    const from = Date.parse(query.get('from') ?? '') / 1000;
    const until = Date.parse(query.get('until') ?? '') / 1000;
    assert.ok(from <= NOW - 180 * MINUTE && NOW - 180 * MINUTE <= until && until < NOW - 50 * MINUTE,
      `the brushed range ${from}..${until} holds the early bar only`);
    assert.equal(await page.locator('#from-input').inputValue(), query.get('from'));
    await saveScreenshot(page, 'graph-brushed-range');

    await page.goBack(); // the brush made a history entry: back is the last six hours again
    await waitForText(page, '#total-samples', '1,140 samples');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('shows the server\'s message for an unreadable custom range, and applies a good one', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.locator('#from-input').fill('yesterdayish');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitForView(page, 'error');
    const message = (await page.locator('#message').textContent()) ?? '';
    assert.match(message, /^Could not load web1: 400: from: cannot read 'yesterdayish' as a time/);
    assert.equal(await page.locator('#chart').isVisible(), false, 'no stale graph under an error');
    await saveScreenshot(page, 'graph-bad-range');

    await page.locator('#from-input').fill('4 hours ago');
    await page.locator('#until-input').fill(String(NOW - 30 * MINUTE));
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitForText(page, '#total-samples', '1,130 samples');
    await waitForView(page, 'ready');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('reproduces range, threshold, search and zoom from a copied URL', async () => {
    const first = await openPage(browser, graphUrl('web1'));
    const { page } = first;
    await waitForView(page, 'ready');
    await page.getByRole('button', { name: '6h', exact: true }).click();
    await waitForText(page, '#total-samples', '1,140 samples');
    await page.locator('#threshold-input').fill('0.5');
    await page.locator('#threshold-input').press('Enter');
    // 0.5% of 1140 is 5.7 samples: idle(app) (3) goes into (other).
    await waitForText(page, '#pruned-note', '1 small frame merged into (other): click an (other), or the frame above it, to load them');
    await page.locator('#search-input').fill('query');
    await waitForText(page, '#search-result', '60 samples (5.3%) match');
    await page.locator('#chart g.frame[name="handle(app)"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('zoom'));
    await waitForText(page, '#search-result', '60 samples (5.3%) match in the zoomed frame');
    const copied = page.url();
    const copiedQuery = new URL(copied).searchParams;
    assert.deepEqual(
      ['from', 'until', 'threshold', 'search', 'zoom'].map((key) => copiedQuery.get(key)),
      ['-6h', 'now', '0.005', 'query', `${MAIN};serve(app);handle(app)`],
    );
    const framesInFirst = (await drawnFrames(page)).sort();

    const second = await openPage(browser, copied);
    await waitForView(second.page, 'ready');
    await waitForText(second.page, '#search-result', '60 samples (5.3%) match in the zoomed frame');
    assert.equal(await second.page.locator('#total-samples').textContent(), '1,140 samples');
    assert.equal(await second.page.locator('#pruned-note').textContent(), '1 small frame merged into (other): click an (other), or the frame above it, to load them');
    assert.equal(await second.page.locator('#from-input').inputValue(), '-6h');
    assert.equal(await second.page.locator('#threshold-input').inputValue(), '0.5');
    assert.equal(await second.page.locator('#search-input').inputValue(), 'query');
    assert.equal(await second.page.getByRole('button', { name: '6h', exact: true }).getAttribute('aria-pressed'), 'true');
    assert.equal(await second.page.locator('#reset-zoom').isEnabled(), true);
    const framesInSecond = (await drawnFrames(second.page)).sort();
    assert.deepEqual(framesInSecond, framesInFirst);
    assert.ok(!framesInSecond.includes('gc(runtime)'), 'zoomed into handle(app): its siblings are hidden');
    await saveScreenshot(second.page, 'graph-from-copied-url');

    await second.page.locator('#reset-zoom').click();
    await second.page.waitForFunction(() => !new URL(location.href).searchParams.has('zoom'));
    assert.ok((await drawnFrames(second.page)).includes('gc(runtime)'));
    assert.deepEqual([...first.errors, ...second.errors], []);
    await closePage(first);
    await closePage(second);
  });

  it('fills the window width and redraws to a new width', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    const svgWidth = () => page.$eval('#chart svg', (svg) => Number(svg.getAttribute('width')));
    assert.equal(await svgWidth(), 1280);
    await page.setViewportSize({ width: 900, height: 700 });
    await page.waitForFunction(() => document.querySelector('#chart svg')?.getAttribute('width') === '900');
    assert.equal(await svgWidth(), 900);
    const timelineWidth = await page.$eval('#timeline svg', (svg) => Number(svg.getAttribute('width')));
    assert.equal(timelineWidth, 900);
    await saveScreenshot(page, 'graph-narrow-window');
    await closePage(watched);
  });

  it('shows a network failure as an error, not a blank or stale graph', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.route('**/profile/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await waitForView(page, 'error');
    assert.match((await page.locator('#message').textContent()) ?? '', /^Could not load web1: cannot reach the server/);
    assert.equal(await page.locator('#total-samples').textContent(), '');
    assert.equal(await page.locator('#chart').isVisible(), false);
    await closePage(watched);
  });

  it('says so when a host has no samples in the range', async () => {
    const watched = await openPage(browser, graphUrl('quiet'));
    const { page } = watched;
    await waitForView(page, 'empty');
    assert.equal(await page.locator('#message').textContent(), 'no samples for quiet in this range');
    assert.equal(await page.locator('#total-samples').textContent(), '0 samples');
    assert.equal(await page.locator('#chart').isVisible(), false);
    await saveScreenshot(page, 'graph-empty');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('serves a host whose label holds a slash, spaces and unicode, from the index link to the graph', async () => {
    const watched = await openPage(browser, `${server.url}/`);
    const { page } = watched;
    await page.getByRole('link', { name: LABEL, exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/graph/'));
    await waitForView(page, 'ready');
    assert.equal(new URL(page.url()).pathname, `/graph/${encodeURIComponent(LABEL)}/`);
    assert.equal(await page.locator('#host-name').textContent(), LABEL);
    assert.equal(await page.title(), `${LABEL} · liveprofiler`);
    assert.equal(await page.locator('#total-samples').textContent(), '42 samples');
    assert.deepEqual((await drawnFrames(page)).sort(), ['all', 'main(svc)', 'work(svc)'].sort());
    await page.getByRole('button', { name: '5m', exact: true }).click();
    await waitForText(page, '#range-text', '2024-05-01 11:55:00 – 2024-05-01 12:00:00 UTC');
    assert.equal(await page.locator('#total-samples').textContent(), '42 samples'); // written five minutes ago: inclusive
    await saveScreenshot(page, 'graph-unicode-label');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('merges every host on the all-hosts graph', async () => {
    const watched = await openPage(browser, graphUrl('_all'));
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#host-name').textContent(), 'all hosts');
    assert.equal(await page.locator('#total-samples').textContent(), '182 samples');
    assert.ok((await drawnFrames(page)).includes('work(svc)'));
    await closePage(watched);
  });
});
