import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, launchChromium, openPage, saveScreenshot, waitForView } from './browser-session.js';

const NOW = DEFAULT_NOW;

describe('the graph page selector field', () => {
  let browser: Browser;
  let server: RunningVisualizer;
  before(async () => {
    browser = await launchChromium();
    server = await startVisualizer({ configuredHosts: ['web1'] });
    await server.store.write('web1', NOW - 60, new Map([['main;w', 1]]));
    await server.store.write('shop{__type__=cpu,region=eu}', NOW - 60, new Map([['main;eu', 20]]));
    await server.store.write('shop{__type__=cpu,region=us}', NOW - 60, new Map([['main;us', 300]]));
    await server.store.write('shop{__type__=wall,region=eu}', NOW - 60, new Map([['main;eu', 4000]]));
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });

  it('shows the selector of the page, completes apps, labels and values, and opens what is chosen', async () => {
    const watched = await openPage(browser, `${server.url}/graph/shop/?from=-15m&until=now`);
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#total-samples').textContent(), '320 samples', 'the app reads its CPU series');
    const input = page.locator('#selector-input');
    assert.equal(await input.inputValue(), 'shop');
    await input.focus();
    await page.waitForFunction(() => document.querySelectorAll('#selector-options option').length > 0);
    const options = await page.$$eval('#selector-options option', (all) => all.map((option) => (option as HTMLOptionElement).value));
    for (const expected of ['_all', 'web1', 'shop', 'shop{region="eu"}', '{region="us"}', 'shop{__type__="wall"}']) {
      assert.ok(options.includes(expected), `${expected} in ${options.join(' ')}`);
    }
    await input.fill('shop{region="eu",__type__="wall"}');
    await saveScreenshot(page, 'graph-selector');
    await input.press('Enter');
    await page.waitForURL((url) => url.pathname === `/graph/${encodeURIComponent('shop{region="eu",__type__="wall"}')}/`);
    assert.match(page.url(), /from=-15m&until=now/, 'the range is kept');
    await waitForView(page, 'ready');
    assert.equal(await page.locator('#total-samples').textContent(), '4,000 samples');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('a selector that cannot be read shows the reason', async () => {
    const watched = await openPage(browser, `${server.url}/graph/shop/`);
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.locator('#selector-input').fill('shop{region=');
    await page.locator('#selector-input').press('Enter');
    await page.waitForURL((url) => url.pathname !== '/graph/shop/');
    assert.match((await page.locator('body').textContent()) ?? '', /selector "shop\{region=": missing "}" at character 13/);
    await closePage(watched);
  });
});
