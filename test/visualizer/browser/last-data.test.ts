import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, launchChromium, openPage, saveScreenshot, waitForView } from './browser-session.js';

const NOW = DEFAULT_NOW;
const DAY = 86_400;

describe("an empty host's graph page", () => {
  let browser: Browser;
  let server: RunningVisualizer;
  before(async () => {
    browser = await launchChromium();
    server = await startVisualizer({ configuredHosts: ['quiet', 'never'] });
    await server.store.write('quiet', NOW - 2 * DAY - 3600, new Map([['main;old', 2]]));
    await server.store.write('quiet', NOW - 2 * DAY, new Map([['main;work', 7]]));
    await server.store.recordSuccess('quiet', NOW - 2 * DAY);
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });

  for (const size of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    it(`says when its last data arrived and jumps to the hour up to it (${size.width}×${size.height})`, async () => {
      const watched = await openPage(browser, `${server.url}/graph/quiet/`);
      const { page } = watched;
      await page.setViewportSize(size);
      await waitForView(page, 'empty');
      await page.locator('#last-data').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#message').textContent(), 'no samples for quiet in this range');
      assert.equal(
        await page.locator('#last-data').textContent(),
        'Its last data arrived 2 days ago (2024-04-29 12:00:00 UTC). Show the hour up to it',
      );
      await saveScreenshot(page, `graph-empty-last-data-${size.width}`);
      await Promise.all([page.waitForURL((url) => url.searchParams.has('until') && url.searchParams.get('until') !== 'now'), page.locator('#last-data-link').click()]);
      await waitForView(page, 'ready');
      const params = new URL(page.url()).searchParams;
      assert.equal(params.get('from'), '2024-04-29T11:05:00Z');
      assert.equal(params.get('until'), '2024-04-29T12:05:00Z');
      assert.equal(await page.locator('#total-samples').textContent(), '7 samples', 'the hour holds the last collection, not the one an hour before');
      assert.equal(await page.locator('#last-data').isVisible(), false);
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  }

  it('says when nothing is stored for it yet, with no link', async () => {
    const watched = await openPage(browser, `${server.url}/graph/never/`);
    const { page } = watched;
    await waitForView(page, 'empty');
    await page.locator('#last-data').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#last-data').textContent(), 'Nothing is stored for it yet.');
    assert.equal(await page.locator('#last-data a').count(), 0);
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });
});
