import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseFoldedStacks } from '../../../src/collector/formats/folded.js';
import { foldedDump } from '../../collector/formats/folded-dump.js';
import { readPprof, readSpeedscope } from '../../support/export-readers.js';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import {
  closePage, drawnFrames, launchChromium, openPage, saveScreenshot, waitForText, waitForView,
} from './browser-session.js';

const NOW = DEFAULT_NOW;
const MINUTE = 60;
const EVIL = '<img src=x onerror=alert(1)>(evil)';

/** The last hour: render(app) takes 40% of 300 samples. The hour before: 20% of 100. */
const TARGET = new Map([
  ['main(app);serve(app);render(app)', 120],
  ['main(app);serve(app);db(app)', 80],
  ['main(app);idle(app)', 90],
  [`main(app);${EVIL}`, 10],
]);
const BASELINE = new Map([
  ['main(app);serve(app);render(app)', 20],
  ['main(app);serve(app);db(app)', 60],
  ['main(app);idle(app)', 20],
]);
/** hub(app) holds ten leaves of 10 samples: at a 5% threshold of 1,000 they all go into (other). */
const WIDE = new Map([
  ['main(app);big(app)', 900],
  ...Array.from({ length: 10 }, (_, i) => [`main(app);hub(app);leaf${i}(app)`, 10] as [string, number]),
]);

async function tableNames(page: Page): Promise<string[]> {
  return page.$$eval('#functions-table tbody tr', (rows) => rows.map((row) => (row as HTMLTableRowElement).cells[0].textContent ?? ''));
}

async function fillOf(page: Page, selector: string, name: string): Promise<string> {
  return page.$eval(`${selector} g.frame[name="${name}"] rect`, (rect) => rect.getAttribute('fill') ?? '');
}

function rgb(fill: string): number[] {
  const match = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(fill);
  assert.ok(match, `a colour, got ${fill}`);
  return match.slice(1).map(Number);
}

describe('the graph page: functions, sandwich, comparison, detail and downloads', () => {
  let server: RunningVisualizer;
  let browser: Browser;
  const graphUrl = (host: string, query = '') => `${server.url}/graph/${encodeURIComponent(host)}/${query}`;

  before(async () => {
    [server, browser] = await Promise.all([startVisualizer({ configuredHosts: ['web1', 'wide'] }), launchChromium()]);
    await server.store.write('web1', NOW - 30 * MINUTE, TARGET);
    await server.store.write('web1', NOW - 90 * MINUTE, BASELINE);
    await server.store.write('wide', NOW - 10 * MINUTE, WIDE);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists functions with self and total, sorts by each column and filters with the search box', async () => {
    const watched = await openPage(browser, graphUrl('web1', '?layout=both'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.waitForSelector('#functions-table tbody tr');
    assert.ok(await page.locator('#chart svg').isVisible(), 'both: the graph stays');
    assert.deepEqual(await tableNames(page), ['render(app)', 'idle(app)', 'db(app)', EVIL, 'main(app)', 'serve(app)']);
    const renderRow = await page.$eval('#functions-table tbody tr[data-name="render(app)"]', (row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent));
    assert.deepEqual(renderRow, ['render(app)', '120', '40.0%', '120', '40.0%']);

    await page.locator('#functions-table th button[data-sort="total"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'total');
    assert.deepEqual((await tableNames(page)).slice(0, 2), ['main(app)', 'serve(app)']);
    await page.locator('#functions-table th button[data-sort="name"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'name');
    assert.deepEqual(await tableNames(page), [EVIL, 'db(app)', 'idle(app)', 'main(app)', 'render(app)', 'serve(app)']);

    await page.locator('#search-input').fill('(APP');
    await page.waitForFunction(() => document.querySelectorAll('#functions-table tbody tr').length === 5);
    await page.locator('#search-input').fill('onerror');
    await page.waitForFunction(() => document.querySelectorAll('#functions-table tbody tr').length === 1);
    assert.deepEqual(await tableNames(page), [EVIL]);
    assert.equal(await page.locator('img').count(), 0, 'a frame name is text in the table too');
    await saveScreenshot(page, 'analysis-functions-table');

    // Table only: the graph goes, the URL keeps the layout, sort and search.
    await page.locator('.layout-switch button[data-layout="table"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('layout') === 'table');
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#chart').isVisible(), false);
    const query = new URL(page.url()).searchParams;
    assert.deepEqual([query.get('sort'), query.get('search')], ['name', 'onerror']);
    assert.deepEqual(watched.dialogs, []);
    assert.deepEqual(watched.errors, []);
    await closePage(watched);

    // The copied URL brings back the table, its order and its filter.
    const copy = await openPage(browser, page.url());
    await waitForView(copy.page, 'ready');
    await copy.page.waitForSelector('#functions-table tbody tr');
    assert.deepEqual(await tableNames(copy.page), [EVIL]);
    assert.equal(await copy.page.locator('#chart').isVisible(), false);
    await closePage(copy);
  });

  it('opens the sandwich of a clicked row: callers above, callees below, kept in the URL', async () => {
    const watched = await openPage(browser, graphUrl('web1', '?layout=table'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.locator('#functions-table tbody tr[data-name="serve(app)"]').click();
    await page.waitForSelector('#callers-chart svg g.frame');
    await page.waitForSelector('#callees-chart svg g.frame');
    await waitForText(page, '#sandwich-name', 'serve(app)');
    assert.deepEqual((await drawnFrames(page)).length, 0, 'no main graph in table layout');
    const callers = await page.$$eval('#callers-chart g.frame', (frames) => frames.map((g) => g.getAttribute('name')));
    const callees = await page.$$eval('#callees-chart g.frame', (frames) => frames.map((g) => g.getAttribute('name')));
    assert.deepEqual(callers.sort(), ['main(app)', 'serve(app)']);
    assert.deepEqual(callees.sort(), ['db(app)', 'render(app)', 'serve(app)']);
    assert.equal(new URL(page.url()).searchParams.get('fn'), 'serve(app)');
    // Callers grow upwards from the function, callees hang below it.
    const y = (chart: string, name: string) => page.$eval(`${chart} g.frame[name="${name}"]`, (g) => g.getBoundingClientRect().top);
    assert.ok((await y('#callers-chart', 'main(app)')) < (await y('#callers-chart', 'serve(app)')));
    assert.ok((await y('#callees-chart', 'render(app)')) > (await y('#callees-chart', 'serve(app)')));
    await saveScreenshot(page, 'analysis-sandwich');

    const copy = await openPage(browser, page.url());
    await copy.page.waitForSelector('#callees-chart svg g.frame');
    await waitForText(copy.page, '#sandwich-name', 'serve(app)');
    // The keyboard opens another one: focus a row, press Enter.
    await copy.page.locator('#functions-table tbody tr[data-name="db(app)"]').focus();
    await copy.page.keyboard.press('Enter');
    await waitForText(copy.page, '#sandwich-name', 'db(app)');
    await copy.page.waitForFunction(() => new URL(location.href).searchParams.get('fn') === 'db(app)');
    await copy.page.locator('#sandwich-close').click();
    await copy.page.waitForFunction(() => !new URL(location.href).searchParams.has('fn'));
    assert.equal(await copy.page.locator('#sandwich').isVisible(), false);
    assert.deepEqual([...watched.errors, ...copy.errors], []);
    await closePage(copy);
    await closePage(watched);
  });

  it('compares with the previous hour: the planted regression is red with its shares, and listed first', async () => {
    const watched = await openPage(browser, graphUrl('web1'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.locator('#compare-select').selectOption('previous');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('compare') === 'previous');
    await waitForView(page, 'ready');
    await page.waitForSelector('#changes-grew tbody tr');
    const [r, g, b] = rgb(await fillOf(page, '#chart', 'render(app)'));
    assert.ok(r > g + 60 && r > b + 60, `render(app) is red: ${r},${g},${b}`);
    const [dr, dg, db] = rgb(await fillOf(page, '#chart', 'db(app)'));
    assert.ok(db > dr + 30 && db > dg + 30, `db(app) shrank (60% to 26.7%) and is blue: ${dr},${dg},${db}`);
    await page.locator('#chart g.frame[name="render(app)"]').hover();
    await waitForText(page, '.d3-flame-graph-tip',
      'render(app)\nthis range: 120 samples, 40.0%\nbaseline: 20 samples, 20.0%\nchange: +20.00 points of share');
    const grew = await page.$eval('#changes-grew tbody tr', (row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent));
    assert.deepEqual(grew, ['render(app)', '20.0%', '40.0%', '+20.00 pts']);
    const shrank = await page.$eval('#changes-shrank tbody tr', (row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent));
    assert.deepEqual(shrank, ['db(app)', '60.0%', '26.7%', '-33.33 pts']);
    assert.equal(await page.locator('#total-samples').textContent(), '300 samples');
    assert.match((await page.locator('#compare-legend').textContent()) ?? '', /previous period .*2024-05-01 09:59:59 – 2024-05-01 10:59:59 UTC \(100 samples\)/);
    await saveScreenshot(page, 'analysis-compare');

    // The whole comparison is in the URL: another host as baseline, then a reload of the copied link.
    // The field suggests the hosts, asked for once it is focused: the page's first load leaves /hosts alone.
    const hostsAsked = () => page.evaluate(() => performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname === '/hosts').length);
    assert.equal(await hostsAsked(), 0);
    await page.locator('#compare-select').selectOption('host');
    await page.locator('#base-host-input').focus();
    await page.waitForFunction(() => [...document.querySelectorAll('#host-list option')].some((option) => (option as HTMLOptionElement).value === 'wide'));
    assert.equal(await hostsAsked(), 1);
    await page.locator('#base-host-input').fill('wide');
    await page.locator('#base-host-form button').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('base_host') === 'wide');
    await waitForView(page, 'ready');
    const copy = await openPage(browser, page.url());
    await waitForView(copy.page, 'ready');
    await copy.page.waitForSelector('#changes-grew tbody tr');
    assert.equal(await copy.page.locator('#compare-select').inputValue(), 'host');
    assert.equal(await copy.page.locator('#base-host-input').inputValue(), 'wide');
    assert.match((await copy.page.locator('#compare-legend').textContent()) ?? '', /another host, same range: wide/);
    assert.deepEqual([...watched.errors, ...copy.errors], []);
    await closePage(copy);

    await page.locator('#compare-select').selectOption('24h');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('compare') === '24h');
    await waitForView(page, 'ready');
    await page.locator('#compare-select').selectOption('');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('compare'));
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#changes-panel').isVisible(), false);
    await closePage(watched);
  });

  it('compares with a baseline brushed on the timeline, kept in the URL', async () => {
    const watched = await openPage(browser, graphUrl('web1', '?from=-2h&until=now&compare=range'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await waitForText(page, '#compare-legend', 'Drag across the timeline to pick the baseline range.');
    assert.equal(await page.locator('#compare-select').inputValue(), 'range');
    // Two bars: the baseline ninety minutes ago, the target thirty minutes ago. Brush the first alone.
    const bars = await page.$$eval('#timeline rect.bar', (rects) => rects
      .map((rect) => rect.getBoundingClientRect())
      .filter((box) => box.height > 0)
      .map((box) => ({ left: box.left, right: box.right, middle: box.top + box.height / 2 })));
    assert.equal(bars.length, 2);
    // Inside the bar: a brush snaps to whole steps, and the first bar starts where the brush area does.
    await page.mouse.move(bars[0].left + 2, bars[0].middle);
    await page.mouse.down();
    await page.mouse.move(bars[0].right - 2, bars[0].middle, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('base_from'));
    await page.waitForSelector('#changes-grew tbody tr');
    await waitForView(page, 'ready');
    // The view (both hours, 400 samples) keeps its range; render(app) is 35% of it against 20% of the baseline.
    const query = new URL(page.url()).searchParams;
    assert.deepEqual([query.get('from'), query.get('until'), query.get('compare')], ['-2h', 'now', 'range']);
    assert.equal(await page.locator('#total-samples').textContent(), '400 samples');
    const grew = await page.$eval('#changes-grew tbody tr', (row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent));
    assert.deepEqual(grew, ['render(app)', '20.0%', '35.0%', '+15.00 pts']);
    const [r, g, b] = rgb(await fillOf(page, '#chart', 'render(app)'));
    assert.ok(r > g + 40 && r > b + 40, `render(app) is red: ${r},${g},${b}`);
    assert.equal(await page.locator('#timeline .baseline-band').count(), 1, 'the baseline is shaded on the timeline');

    const copy = await openPage(browser, page.url());
    await copy.page.waitForSelector('#changes-grew tbody tr');
    assert.deepEqual(await copy.page.$eval('#changes-grew tbody tr', (row) => (row as HTMLTableRowElement).cells[3].textContent), '+15.00 pts');
    assert.deepEqual([...watched.errors, ...copy.errors], []);
    await closePage(copy);
    await closePage(watched);
  });

  it('loads the detail behind a clicked (other), and a copied URL draws it again', async () => {
    const watched = await openPage(browser, graphUrl('wide', '?threshold=0.05'));
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.match((await page.locator('#pruned-note').textContent()) ?? '', /10 small frames merged into \(other\): click an \(other\)/);
    assert.ok(!(await drawnFrames(page)).includes('leaf0(app)'));
    const other = page.locator('#chart g.frame[name="(other)"]');
    assert.equal(await other.count(), 1);
    const started = Date.now();
    await other.click();
    await page.waitForFunction(() => document.querySelector('#chart g.frame[name="leaf9(app)"]') !== null);
    console.log(`    (other) click to drawn detail: ${Date.now() - started} ms`);
    await waitForView(page, 'ready');
    const frames = await drawnFrames(page);
    for (let i = 0; i < 10; i++) assert.ok(frames.includes(`leaf${i}(app)`), `leaf${i}(app) drawn`);
    const query = new URL(page.url()).searchParams;
    assert.deepEqual([query.get('detail'), query.get('zoom')], ['1', 'main(app);hub(app)']);
    assert.match((await page.locator('#pruned-note').textContent()) ?? '', /^detail under hub\(app\)/);
    await saveScreenshot(page, 'analysis-detail');

    const copy = await openPage(browser, page.url());
    await waitForView(copy.page, 'ready');
    await copy.page.waitForSelector('#chart g.frame[name="leaf0(app)"]');
    // Reset zoom leaves the detail for the whole (pruned) graph.
    await copy.page.locator('#reset-zoom').click();
    await copy.page.waitForFunction(() => !new URL(location.href).searchParams.has('detail'));
    await waitForView(copy.page, 'ready');
    await copy.page.waitForFunction(() => document.querySelector('#chart g.frame[name="leaf0(app)"]') === null);
    assert.deepEqual([...watched.errors, ...copy.errors], []);
    await closePage(copy);
    await closePage(watched);
  });

  it('loads the detail behind an (other) in a comparison too', async () => {
    const watched = await openPage(browser, graphUrl('wide', '?threshold=0.05&compare=host&base_host=wide'));
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.waitForSelector('#changes-grew tbody tr');
    await page.locator('#chart g.frame[name="(other)"]').click();
    await page.waitForFunction(() => document.querySelector('#chart g.frame[name="leaf9(app)"]') !== null);
    await waitForView(page, 'ready');
    const query = new URL(page.url()).searchParams;
    assert.deepEqual(['detail', 'zoom', 'compare', 'base_host'].map((key) => query.get(key)), ['1', 'main(app);hub(app)', 'host', 'wide']);
    // The same data on both sides: nothing changed, every frame grey.
    assert.equal(await fillOf(page, '#chart', 'leaf3(app)'), 'rgb(220,220,220)');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('downloads the view as folded, speedscope and pprof, and the graph as SVG', async () => {
    const watched = await openPage(browser, graphUrl('web1', '?from=-1h&until=now&threshold=0.05'));
    const { page } = watched;
    await waitForView(page, 'ready');
    const save = async (selector: string) => {
      await page.locator('#downloads summary').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
      await page.locator('#downloads summary').click();
      const file = await download.path();
      return { name: download.suggestedFilename(), bytes: await readFile(file) };
    };
    const folded = await save('#download-folded');
    assert.equal(folded.name, 'web1_20240501T110000Z_20240501T120000Z.folded');
    // Never pruned although the page hides frames below 5% (the markup frame's 3.3%), as the download links leave threshold out: the exact stacks of the range.
    assert.equal(foldedDump(parseFoldedStacks(folded.bytes.toString('utf8')).stacks), foldedDump(TARGET));
    const speedscope = await save('#download-speedscope');
    assert.equal(speedscope.name, 'web1_20240501T110000Z_20240501T120000Z.speedscope.json');
    assert.equal(foldedDump(readSpeedscope(JSON.parse(speedscope.bytes.toString('utf8')))), foldedDump(TARGET));
    const pprof = await save('#download-pprof');
    assert.equal(pprof.name, 'web1_20240501T110000Z_20240501T120000Z.pb.gz');
    assert.equal(foldedDump(readPprof(pprof.bytes).stacks), foldedDump(TARGET));
    assert.ok((await drawnFrames(page)).includes('(other)'), 'the page itself is pruned');
    await page.goto(graphUrl('web1', '?from=-1h&until=now'));
    await waitForView(page, 'ready');
    const svg = await save('#download-svg');
    assert.equal(svg.name, 'web1.svg');
    const text = svg.bytes.toString('utf8');
    assert.match(text, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, text.slice(0, 300));
    assert.ok(text.includes('render(app)'));
    assert.ok(text.includes('&lt;img src=x onerror=alert(1)&gt;(evil)'), 'a frame name stays text in the SVG');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('runs every analysis feature under a strict Content-Security-Policy without a violation', async () => {
    // The policy the server sends with pages: only inline styles whose hashes it lists (d3-flame-graph injects one).
    const plain = await openPage(browser, graphUrl('web1'));
    await waitForView(plain.page, 'ready');
    const styles = await plain.page.$$eval('style', (elements) => elements.map((element) => element.textContent ?? ''));
    await closePage(plain);
    const hashes = styles.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    const policy = [
      "default-src 'self'", "script-src 'self'", `style-src 'self' ${hashes.join(' ')}`, "img-src 'self' data:",
      "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
    ].join('; ');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', acceptDownloads: true });
    await context.route(`${server.url}/graph/**`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
    });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`));
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const violations = () => page.evaluate(() => (window as unknown as { violations: string[] }).violations);

    await page.goto(graphUrl('web1', '?layout=both'));
    await waitForView(page, 'ready');
    await page.locator('#functions-table tbody tr[data-name="serve(app)"]').click();
    await page.waitForSelector('#callees-chart svg g.frame');
    await page.locator('#compare-select').selectOption('previous');
    await page.waitForSelector('#changes-grew tbody tr');
    await page.locator('#chart g.frame[name="render(app)"]').hover();
    await page.locator('#downloads summary').click();
    await Promise.all([page.waitForEvent('download'), page.locator('#download-svg').click()]);
    assert.deepEqual(await violations(), []);

    await page.goto(graphUrl('wide', '?threshold=0.05'));
    await waitForView(page, 'ready');
    await page.locator('#chart g.frame[name="(other)"]').click();
    await page.waitForSelector('#chart g.frame[name="leaf0(app)"]');
    assert.deepEqual(await violations(), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
