import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, launchChromium, openPage, saveScreenshot, waitForText, waitForView } from './browser-session.js';

/** 2024-05-01T12:00:00Z: 05:00 in Los Angeles (PDT, UTC-7), 14:00 in Berlin (CEST). */
const NOW = DEFAULT_NOW;
const HOUR = 3600;
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };
const BERLIN = { timezoneId: 'Europe/Berlin' };

const query = (page: Page) => new URL(page.url()).searchParams;
const axisLabels = (page: Page, axis: 'x' | 'y') =>
  page.$$eval(`#timeline g.${axis}-axis .tick text`, (texts) => texts.map((text) => text.textContent ?? ''));

async function applyRange(page: Page, from: string, until: string): Promise<void> {
  await page.locator('#from-input').fill(from);
  await page.locator('#until-input').fill(until);
  await page.getByRole('button', { name: 'Apply' }).click();
}

describe('the graph page\'s times, zones, threshold box and timeline', () => {
  let server: RunningVisualizer;
  let browser: Browser;
  const graphUrl = (host: string, search = '') => `${server.url}/graph/${host}/${search}`;

  before(async () => {
    [server, browser] = await Promise.all([
      startVisualizer({ configuredHosts: ['web1', 'minutely', 'quiet'] }),
      launchChromium(),
    ]);
    // 10:30Z is 03:30 in Los Angeles; 03:30Z is what 03:30 would be if a Los Angeles time were read as UTC.
    await server.store.write('web1', NOW - 1.5 * HOUR, new Map([['main(app);la_morning(app)', 77]]));
    await server.store.write('web1', NOW - 8.5 * HOUR, new Map([['main(app);utc_morning(app)', 500]]));
    await server.store.write('web1', NOW - 0.5 * HOUR, new Map([['main(app);recent(app)', 5]]));
    for (let minute = 0; minute < 180; minute++) {
      await server.store.write('minutely', NOW - minute * 60, new Map([['main(svc);serve(svc)', 1650 + ((minute * 37) % 60)]]));
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows times in the browser\'s zone, named, and reads a typed time in that zone', async () => {
    const watched = await openPage(browser, graphUrl('web1'), LOS_ANGELES);
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#range-text').textContent(), '2024-05-01 04:00:00 – 2024-05-01 05:00:00 PDT');
    assert.equal(query(page).get('tz'), 'local');
    assert.equal(await page.locator('#zone-select').inputValue(), 'local');

    // The case: a zone-less time typed in Los Angeles is Los Angeles time, not UTC.
    await applyRange(page, '2024-05-01T03:00', '2024-05-01T04:00');
    await waitForText(page, '#total-samples', '77 samples');
    assert.equal(await page.locator('#range-text').textContent(), '2024-05-01 03:00:00 – 2024-05-01 04:00:00 PDT');
    assert.deepEqual([query(page).get('from'), query(page).get('until')], ['2024-05-01T03:00:00-07:00', '2024-05-01T04:00:00-07:00'],
      'the link carries the offset, so it names the same hour for anyone');
    assert.equal(await page.locator('#from-input').inputValue(), '2024-05-01T03:00:00-07:00');
    await saveScreenshot(page, 'time-zone-local-los-angeles');

    // Calendar words are the viewer's days too.
    await applyRange(page, 'yesterday', 'today');
    await waitForText(page, '#range-text', '2024-04-30 00:00:00 – 2024-05-01 05:00:00 PDT');
    assert.equal(await page.locator('#total-samples').textContent(), '582 samples');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('switches to UTC and back, keeping the same instants, and reads typed times in UTC while UTC is shown', async () => {
    const watched = await openPage(browser, graphUrl('web1', '?from=2024-05-01T03:00&until=2024-05-01T04:00'), LOS_ANGELES);
    const { page } = watched;
    await waitForText(page, '#total-samples', '77 samples');
    assert.equal(query(page).get('from'), '2024-05-01T03:00:00-07:00', 'a pasted zone-less time gets the shown zone\'s offset');

    await page.locator('#zone-select').selectOption('utc');
    await waitForText(page, '#range-text', '2024-05-01 10:00:00 – 2024-05-01 11:00:00 UTC');
    assert.equal(await page.locator('#total-samples').textContent(), '77 samples');
    assert.deepEqual([query(page).get('tz'), query(page).get('from'), query(page).get('until')],
      ['utc', '2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z']);
    assert.equal(await page.locator('#until-input').inputValue(), '2024-05-01T11:00:00Z');
    await saveScreenshot(page, 'time-zone-utc');

    await applyRange(page, '2024-05-01T03:00', '2024-05-01T04:00');
    await waitForText(page, '#total-samples', '500 samples');
    assert.equal(query(page).get('from'), '2024-05-01T03:00:00Z');

    await page.goBack();
    await waitForText(page, '#total-samples', '77 samples');
    await page.goBack();
    await waitForText(page, '#range-text', '2024-05-01 03:00:00 – 2024-05-01 04:00:00 PDT');
    assert.equal(await page.locator('#zone-select').inputValue(), 'local');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('a copied link shows the same instants in another zone', async () => {
    const link = graphUrl('web1', '?from=2024-05-01T03:00:00-07:00&until=2024-05-01T04:00:00-07:00&tz=local');
    const watched = await openPage(browser, link, BERLIN);
    const { page } = watched;
    await waitForText(page, '#total-samples', '77 samples');
    assert.equal(await page.locator('#range-text').textContent(), '2024-05-01 12:00:00 – 2024-05-01 13:00:00 GMT+2');
    await closePage(watched);
  });

  it('draws the timeline\'s axis and readout in the shown zone', async () => {
    const watched = await openPage(browser, graphUrl('minutely', '?from=-1h'), LOS_ANGELES);
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.ok((await axisLabels(page, 'x')).includes('04:30'), `axis in local time: ${await axisLabels(page, 'x')}`);
    await page.locator('#timeline svg').hover({ position: { x: 300, y: 50 } });
    assert.match((await page.locator('#timeline-readout').textContent()) ?? '', /^2024-05-01 04:\d\d:00 PDT: /);

    await page.locator('#zone-select').selectOption('utc');
    await waitForText(page, '#range-text', '2024-05-01 11:00:00 – 2024-05-01 12:00:00 UTC');
    assert.ok((await axisLabels(page, 'x')).includes('11:30'), `axis in UTC: ${await axisLabels(page, 'x')}`);
    await page.locator('#timeline svg').hover({ position: { x: 301, y: 50 } });
    assert.match((await page.locator('#timeline-readout').textContent()) ?? '', /^2024-05-01 11:\d\d:00 UTC: /);
    assert.deepEqual(query(page).get('from'), '-1h', 'a relative range stays relative');
    await saveScreenshot(page, 'time-zone-utc-timeline');
    await closePage(watched);
  });

  it('explains a bad threshold with what was typed, in percent, and keeps the view', async () => {
    const watched = await openPage(browser, graphUrl('web1', '?from=-1d'));
    const { page } = watched;
    await waitForText(page, '#total-samples', '582 samples');
    const box = page.locator('#threshold-input');
    for (const typed of ['150', '-5', 'half']) {
      await box.fill(typed);
      await box.press('Enter');
      await waitForText(page, '#threshold-error', `threshold: '${typed}' is not a percentage between 0 and 100`);
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
      assert.equal(await box.inputValue(), typed, 'what was typed stays to be corrected');
      assert.equal(query(page).get('threshold'), null, 'the view is unchanged');
      assert.equal(await page.evaluate(() => document.body.dataset.view), 'ready');
    }
    await saveScreenshot(page, 'threshold-error');

    await box.fill('2');
    await box.press('Enter');
    await waitForText(page, '#pruned-note', '1 small frame merged into (other): click an (other), or the frame above it, to load them');
    assert.equal(query(page).get('threshold'), '0.02');
    assert.equal(await page.locator('#threshold-error').textContent(), '');
    assert.equal(await box.getAttribute('aria-invalid'), 'false');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('draws a once-a-minute host over ten minutes as even one-minute bars, not a comb', async () => {
    const watched = await openPage(browser, graphUrl('minutely', '?from=10 minutes ago'));
    const { page } = watched;
    await waitForView(page, 'ready');
    const heights = await page.$$eval('#timeline rect.bar', (rects) => rects.map((rect) => rect.getBoundingClientRect().height));
    assert.equal(heights.length, 11, 'one bar per minute');
    assert.ok(heights.every((height) => height > 50), `no bar drops to zero: ${heights.map(Math.round)}`);
    assert.ok((await axisLabels(page, 'y')).every((label) => /^\d+(\.\d+)?k?$/.test(label)));
    await page.locator('#timeline svg').hover({ position: { x: 300, y: 50 } });
    assert.match((await page.locator('#timeline-readout').textContent()) ?? '', /^2024-05-01 11:5\d:00 UTC: 1,[67]\d\d samples$/);
    await saveScreenshot(page, 'timeline-once-a-minute');
    await closePage(watched);
  });

  it('gives a host without samples an axis of whole numbers and readable times', async () => {
    const watched = await openPage(browser, graphUrl('quiet', '?from=0'));
    const { page } = watched;
    await waitForView(page, 'empty');
    assert.deepEqual(await axisLabels(page, 'y'), ['0']);
    const times = await axisLabels(page, 'x');
    assert.ok(times.length >= 2 && times.every((label) => /^\d\d:\d\d$/.test(label)), `x axis: ${times}`);
    await saveScreenshot(page, 'timeline-empty-host');
    await closePage(watched);
  });
});
