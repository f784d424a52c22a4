import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import {
  closePage, launchChromium, openPage, saveScreenshot, waitForView, WINDOW_SIZES, type PageOptions,
} from './browser-session.js';
import { writeFleetWeek } from './fleet-week.js';

const HOST = 'shop-web-1';
const WEEK = '?from=-7d';

/** Where a frame is drawn, in window coordinates. */
function frameBox(page: Page, name: string): Promise<{ top: number; bottom: number; left: number; right: number }> {
  return page.locator(`#chart g.frame[name="${name}"]`).first().evaluate((g) => {
    const { top, bottom, left, right } = g.getBoundingClientRect();
    return { top, bottom, left, right };
  });
}

/** Each drawn frame's fill, by name. */
function fills(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#chart g.frame', (frames) => Object.fromEntries(frames.map((g) => [g.getAttribute('name'), g.querySelector('rect')!.getAttribute('fill')])));
}

/** The hue of an `hsl(h s% l%)` fill. */
const hueOf = (fill: string | undefined) => fill?.slice(0, fill.indexOf(' '));

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = colour.slice(colour.indexOf('(') + 1, colour.indexOf(')')).split(',').map((part) => Number(part) / 255);
    const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The text colour of `selector` and the colour drawn behind it: the first opaque background up its ancestors, or a frame's fill. */
function colours(page: Page, selector: string): Promise<{ text: string; background: string }> {
  return page.locator(selector).first().evaluate((element) => {
    const frameRect = element.closest('g.frame')?.querySelector('rect');
    if (frameRect) return { text: getComputedStyle(element).color, background: getComputedStyle(frameRect).fill };
    let behind: Element | null = element;
    while (behind && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') behind = behind.parentElement;
    return { text: getComputedStyle(element).color, background: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)' };
  });
}

/** The name of the root's widest callee. */
function firstCallee(page: Page): Promise<string> {
  return page.locator('#chart g.frame[name="all"]').evaluate((g) => {
    const children = (g as unknown as { __data__: { children: { value: number; data: { name: string } }[] } }).__data__.children;
    return children.reduce((widest, child) => (child.value > widest.value ? child : widest)).data.name;
  });
}

/** How far the page can scroll sideways: 0 when nothing sticks out of the window. */
function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

describe('the flame graph, as people who use profilers expect it', () => {
  let server: RunningVisualizer;
  let browser: Browser;
  const open = async (query: string, options: PageOptions = {}) => {
    const watched = await openPage(browser, `${server.url}/graph/${HOST}/${query}`, options);
    await waitForView(watched.page, 'ready');
    return watched;
  };

  before(async () => {
    [server, browser] = await Promise.all([startVisualizer({ configuredHosts: [HOST, 'shop-web-2', 'checkout-api'] }), launchChromium()]);
    await writeFleetWeek(server, HOST, 'django', DEFAULT_NOW);
    await writeFleetWeek(server, 'shop-web-2', 'django', DEFAULT_NOW, 11);
    await writeFleetWeek(server, 'checkout-api', 'express', DEFAULT_NOW, 3);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('orientation', () => {
    for (const size of WINDOW_SIZES) {
      it(`draws a top-down icicle whose root is in the window on first draw at ${size.name}`, async () => {
        const watched = await open(WEEK, { viewport: size });
        const { page } = watched;
        const root = await frameBox(page, 'all');
        assert.ok(root.top >= 0 && root.bottom <= size.height, `root drawn at ${root.top}–${root.bottom} of ${size.height}`);
        const child = await frameBox(page, await firstCallee(page));
        assert.ok(child.top > root.top, 'callees below their caller');
        assert.equal(new URL(page.url()).searchParams.get('orient'), 'icicle');
        await saveScreenshot(page, `graph-7d-${size.name}-after`);
        assert.deepEqual(watched.errors, []);
        await closePage(watched);
      });
    }

    it('switches to a flame graph and back, keeping the choice and the zoom in the URL', async () => {
      const watched = await open(WEEK);
      const { page } = watched;
      const callee = await firstCallee(page);
      await page.locator('#chart g.frame[name="get(shop.views.orders)"]').first().click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('zoom') !== null);
      const zoom = new URL(page.url()).searchParams.get('zoom');
      await page.locator('.orientation-switch button[data-orientation="flame"]').click();
      assert.equal(await page.locator('.orientation-switch button[data-orientation="flame"]').getAttribute('aria-pressed'), 'true');
      const url = new URL(page.url());
      assert.deepEqual([url.searchParams.get('orient'), url.searchParams.get('zoom')], ['flame', zoom]);
      const [root, child] = [await frameBox(page, 'all'), await frameBox(page, callee)];
      assert.ok(child.top < root.top, 'a flame graph draws callees above their caller');

      await page.reload();
      await waitForView(page, 'ready');
      assert.equal(await page.locator('.orientation-switch button[data-orientation="flame"]').getAttribute('aria-pressed'), 'true');
      assert.ok((await frameBox(page, callee)).top < (await frameBox(page, 'all')).top);
      assert.equal(new URL(page.url()).searchParams.get('zoom'), zoom);
      await page.locator('.orientation-switch button[data-orientation="icicle"]').click();
      assert.ok((await frameBox(page, callee)).top > (await frameBox(page, 'all')).top);
      assert.equal(new URL(page.url()).searchParams.get('orient'), 'icicle');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    it('keeps the toolbar in the window while the graph scrolls under it', async () => {
      const watched = await open(WEEK, { viewport: { width: 1280, height: 500 } });
      const { page } = watched;
      await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
      assert.ok(await page.evaluate(() => window.scrollY) > 200, `the page scrolled: ${await page.evaluate(() => [window.scrollY, document.scrollingElement!.scrollHeight])}`);
      const toolbar = await page.locator('.toolbar').boundingBox();
      assert.equal(toolbar?.y, 0);
      await page.locator('#search-input').fill('deepcopy');
      await page.waitForFunction(() => document.querySelector('#search-result')?.textContent !== '');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  });

  describe('tooltip', () => {
    for (const size of WINDOW_SIZES) {
      it(`stays whole inside the window at its right and bottom edges at ${size.name}, never widening the page`, async () => {
        const watched = await open(WEEK, { viewport: size });
        const { page } = watched;
        const root = await frameBox(page, 'all');
        // The window less its scroll bar.
        const width = await page.evaluate(() => document.documentElement.clientWidth);
        const inWindow = async (where: string) => {
          await page.locator('.frame-tip:not([hidden])').waitFor();
          const tip = await page.locator('.frame-tip').evaluate((el) => {
            const { left, right, top, bottom } = el.getBoundingClientRect();
            return { left, right, top, bottom };
          });
          assert.ok(tip.left >= 0 && tip.right <= width && tip.top >= 0 && tip.bottom <= size.height,
            `${where}: tooltip at ${JSON.stringify(tip)} in ${width}×${size.height}`);
          assert.equal(await sidewaysScroll(page), 0, `${where}: no sideways scroll`);
        };
        await page.mouse.move(width - 3, root.top + 5);
        await inWindow('the root at the right edge');
        // The deepest frame wide enough to point at, scrolled to the bottom of the window, pointed at its right end.
        const box = await page.evaluate(() => {
          const frames = [...document.querySelectorAll('#chart g.frame')].filter((g) => g.getBoundingClientRect().width > 20);
          const deepest = frames.reduce((a, b) => (b.getBoundingClientRect().bottom > a.getBoundingClientRect().bottom ? b : a));
          deepest.scrollIntoView({ block: 'end' });
          const { right, bottom } = deepest.getBoundingClientRect();
          return { right, bottom };
        });
        await page.mouse.move(Math.min(box.right, width) - 3, box.bottom - 3);
        await inWindow('the deepest frame at the bottom');
        if (size.name === '1440x900') {
          await page.mouse.move(width - 3, root.top + 5);
          await saveScreenshot(page, 'graph-tooltip-right-edge-1440x900-after');
        }
        assert.deepEqual(watched.errors, []);
        await closePage(watched);
      });
    }
  });

  describe('phone width', () => {
    it('wraps the range form with Apply on screen, scrolls nowhere sideways, and applies a typed range', async () => {
      const size = { width: 390, height: 844 };
      const watched = await open(WEEK, { viewport: size });
      const { page } = watched;
      assert.equal(await sidewaysScroll(page), 0);
      const apply = await page.locator('#range-form button[type="submit"]').boundingBox();
      const from = await page.locator('#from-input').boundingBox();
      assert.ok(apply && from && apply.x >= 0 && apply.x + apply.width <= size.width, `Apply at ${JSON.stringify(apply)}`);
      assert.ok(apply.y > from.y, 'Apply wrapped under the fields');
      for (const id of ['#from-input', '#until-input', '#search-input', '#compare-select', '#reset-zoom', '#selector-input']) {
        const box = await page.locator(id).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= size.width, `${id} on screen: ${JSON.stringify(box)}`);
      }
      await page.locator('#from-input').fill('-6h');
      await page.locator('#range-form button[type="submit"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('from') === '-6h');
      await waitForView(page, 'ready');
      assert.equal(await sidewaysScroll(page), 0);
      // The table and the comparison's tables wrap too.
      await page.locator('.layout-switch button[data-layout="both"]').click();
      await page.locator('#compare-select').selectOption('previous');
      await waitForView(page, 'ready');
      assert.equal(await sidewaysScroll(page), 0, 'table and comparison fit the screen');
      await saveScreenshot(page, 'graph-phone-compare-390x844-after');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  });

  describe('colour by package', () => {
    it('colours frames by package, the same on every host and reload, and names the package in the tooltip', async () => {
      const watched = await open(WEEK);
      const { page } = watched;
      const web1 = await fills(page);
      const djangoFrames = Object.keys(web1).filter((name) => name.endsWith(')') && name.includes('(django.'));
      assert.ok(djangoFrames.length > 5);
      assert.equal(new Set(djangoFrames.map((name) => hueOf(web1[name]))).size, 1, 'one hue for every django frame');
      assert.notEqual(hueOf(web1['get(shop.views.orders)']), hueOf(web1[djangoFrames[0]]), 'shop and django differ');

      await page.goto(`${server.url}/graph/shop-web-2/${WEEK}`);
      await waitForView(page, 'ready');
      const web2 = await fills(page);
      const shared = Object.keys(web2).filter((name) => name in web1);
      assert.ok(shared.length > 10);
      for (const name of shared) assert.equal(web2[name], web1[name], `${name} keeps its colour on another host`);

      await page.locator('#chart g.frame[name="get(shop.views.orders)"]').first().hover();
      await page.waitForFunction(() => document.querySelector('.frame-tip')?.textContent?.endsWith('package shop'));
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    it('colours Node frames by their file\'s folder or npm package', async () => {
      const watched = await openPage(browser, `${server.url}/graph/checkout-api/${WEEK}`);
      const { page } = watched;
      await waitForView(page, 'ready');
      const colours = await fills(page);
      const routes = Object.keys(colours).filter((name) => name.includes('(src/routes/'));
      assert.ok(routes.length > 1);
      assert.equal(new Set(routes.map((name) => hueOf(colours[name]))).size, 1, `one hue for src/routes: ${routes}`);
      await page.locator(`#chart g.frame[name="${routes[0]}"]`).first().hover();
      await page.waitForFunction(() => document.querySelector('.frame-tip')?.textContent?.endsWith('package src/routes'));
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    it('outlines every other frame of the function under the pointer, and none once it leaves', async () => {
      const watched = await open(WEEK);
      const { page } = watched;
      const name = '__call__(django.utils.deprecation)';
      const drawn = await page.locator(`#chart g.frame[name="${name}"]`).count();
      assert.ok(drawn > 1, 'the function is called from several places');
      await page.locator(`#chart g.frame[name="${name}"]`).first().hover();
      assert.equal(await page.locator('#chart g.frame.same-function').count(), drawn);
      assert.equal(await page.locator(`#chart g.frame.same-function:not([name="${name}"])`).count(), 0);
      await page.mouse.move(2, 2);
      assert.equal(await page.locator('#chart g.frame.same-function').count(), 0);
      await page.locator(`#chart g.frame[name="${name}"]`).first().hover();
      await saveScreenshot(page, 'graph-same-function-after');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  });

  describe('light and dark', () => {
    const TEXTS = [
      '#range-text', '.presets button[aria-pressed="true"]', '.presets button[aria-pressed="false"]', '#from-input',
      '.timeline .hint .muted', '#search-input', '.compare', '.orientation-switch button[aria-pressed="true"]',
      '.orientation-switch button[aria-pressed="false"]', '#chart g.frame[name="all"] .d3-flame-graph-label',
      '#chart g.frame[name="get(shop.views.orders)"] .d3-flame-graph-label',
      '#chart g.frame[name="run(gunicorn.app.wsgiapp)"] .d3-flame-graph-label',
      '#chart g.frame[name="__call__(django.core.handlers.wsgi)"] .d3-flame-graph-label', '.frame-tip',
    ];
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of WINDOW_SIZES) {
        it(`follows the system's ${colorScheme} setting with readable text at ${size.name}`, async () => {
          const watched = await open(WEEK, { viewport: size, colorScheme });
          const { page } = watched;
          const body = await colours(page, 'body');
          assert.equal(body.background === 'rgb(255, 255, 255)', colorScheme === 'light', `page background ${body.background}`);
          await page.locator('#chart g.frame[name="all"]').hover();
          for (const selector of TEXTS) {
            const { text, background } = await colours(page, selector);
            const ratio = contrast(text, background);
            assert.ok(ratio >= 4.5, `${selector}: ${text} on ${background} is ${ratio.toFixed(2)}:1`);
          }
          await page.mouse.move(1, 1);
          if (colorScheme === 'dark') await saveScreenshot(page, `graph-7d-${size.name}-dark-after`);
          assert.deepEqual(watched.errors, []);
          await closePage(watched);
        });
      }
    }
  });

  describe('keyboard', () => {
    /** The first line of the tooltip: the frame the keyboard is on. */
    const focusFrame = (page: Page) => page.locator('.frame-tip').evaluate((el) => el.textContent?.split('\n')[0]);
    const zoomOf = (page: Page) => new URL(page.url()).searchParams.get('zoom');

    for (const size of WINDOW_SIZES) {
      it(`searches, walks the frames, zooms and resets with the keyboard alone at ${size.name}`, async () => {
        const watched = await open(WEEK, { viewport: size });
        const { page } = watched;
        await page.keyboard.press('/');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
        await page.keyboard.type('deepcopy');
        await page.waitForFunction(() => document.querySelector('#search-result')?.textContent !== '');
        assert.equal(await page.locator('#search-input').inputValue(), 'deepcopy', 'the slash was not typed');
        await page.locator('#search-input').fill('');

        // Tab from the search field to the chart.
        for (let i = 0; i < 20 && await page.evaluate(() => document.activeElement?.id) !== 'chart'; i++) await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'chart', 'the chart takes keyboard focus');
        assert.equal(await focusFrame(page), 'all');
        assert.equal(await page.locator('#chart g.keyboard-focus').getAttribute('name'), 'all');
        const callee = await firstCallee(page);
        await page.keyboard.press('ArrowDown');
        assert.equal(await focusFrame(page), callee, 'down goes to the widest callee in an icicle');
        for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowDown');
        const deep = await focusFrame(page);
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowDown');
        assert.equal(await focusFrame(page), deep, 'up goes to the caller, down comes back');
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowLeft');
        assert.equal(await focusFrame(page), deep);

        await page.keyboard.press('Enter');
        await page.waitForFunction(() => new URL(location.href).searchParams.get('zoom') !== null);
        assert.equal(zoomOf(page)?.split(';').at(-1), deep, 'Enter zooms to the focus frame');
        assert.equal(await page.locator('#reset-zoom').isDisabled(), false);
        await page.keyboard.press('Escape');
        await page.waitForFunction(() => new URL(location.href).searchParams.get('zoom') === null);
        assert.equal(await page.locator('#reset-zoom').isDisabled(), true, 'Escape resets the zoom');
        if (size.name === '1440x900') await saveScreenshot(page, 'graph-keyboard-focus-1440x900-after');
        assert.equal(await sidewaysScroll(page), 0);
        assert.deepEqual(watched.errors, []);
        await closePage(watched);
      });
    }

    it('in a flame graph the up arrow goes to the callee', async () => {
      const watched = await open(`${WEEK}&orient=flame`);
      const { page } = watched;
      await page.locator('#chart').focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await focusFrame(page), 'all');
      await page.keyboard.press('ArrowUp');
      assert.equal(await focusFrame(page), await firstCallee(page));
      await page.keyboard.press('ArrowDown');
      assert.equal(await focusFrame(page), 'all');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    for (const colorScheme of ['light', 'dark'] as const) {
      it(`rings the focused control outside it, even a pressed preset, in ${colorScheme}`, async () => {
        const watched = await open(WEEK, { colorScheme });
        const { page } = watched;
        await page.locator('.presets button[data-from="-24h"]').focus();
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab'); // focus by keyboard: :focus-visible
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Shift+Tab'); // now on 7d, the pressed one
        assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.from), '-7d');
        const ring = await page.evaluate(() => {
          const button = document.activeElement!;
          const style = getComputedStyle(button);
          return {
            style: style.outlineStyle, width: parseFloat(style.outlineWidth), offset: parseFloat(style.outlineOffset),
            colour: style.outlineColor, behind: getComputedStyle(button.closest('.controls')!).backgroundColor,
          };
        });
        assert.equal(ring.style, 'solid');
        assert.ok(ring.width >= 2 && ring.offset >= 1, `a ring outside the blue fill: ${JSON.stringify(ring)}`);
        assert.ok(contrast(ring.colour, ring.behind) >= 3, `ring ${ring.colour} on ${ring.behind}`);
        await saveScreenshot(page, `graph-focused-preset-${colorScheme}-after`);
        assert.deepEqual(watched.errors, []);
        await closePage(watched);
      });
    }
  });

  describe('live', () => {
    /** Counts the page's profile requests from now on. */
    const countProfileLoads = (page: Page) => {
      const count = { loads: 0 };
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith(`/profile/`)) count.loads += 1;
      });
      return count;
    };

    for (const size of WINDOW_SIZES) {
      it(`reloads a relative range on the auto-refresh period kept in the URL at ${size.name}`, async () => {
        const watched = await open('?from=-1h', { viewport: size });
        const { page } = watched;
        await page.clock.install(); // timers set from here on run when the test says
        const count = countProfileLoads(page);
        await page.locator('#auto-refresh-select').selectOption('10s');
        assert.equal(new URL(page.url()).searchParams.get('refresh'), '10s');
        const before = await page.locator('#range-text').textContent();
        server.setNow(DEFAULT_NOW + 600);
        try {
          await page.clock.runFor(9_000);
          assert.equal(count.loads, 0, 'not before its period');
          await page.clock.runFor(1_500);
          await page.waitForFunction((text) => document.querySelector('#range-text')?.textContent !== text, before);
          assert.equal(count.loads, 1);
          assert.equal(await page.locator('#range-text').textContent(), '2024-05-01 11:10:00 – 2024-05-01 12:10:00 UTC');
          await waitForView(page, 'ready');
          await page.clock.runFor(10_500);
          await page.waitForFunction(() => document.body.dataset.view === 'ready');
          assert.equal(count.loads, 2, 'and again, every period');
        } finally {
          server.setNow(DEFAULT_NOW);
        }
        await page.reload();
        await waitForView(page, 'ready');
        assert.equal(await page.locator('#auto-refresh-select').inputValue(), '10s', 'kept across a reload');
        assert.equal(await sidewaysScroll(page), 0);
        assert.deepEqual(watched.errors, []);
        await closePage(watched);
      });
    }

    it('offers no auto-refresh for a range with a fixed end', async () => {
      const watched = await open('?from=2024-05-01T11:00:00Z&until=2024-05-01T12:00:00Z&refresh=30s');
      const { page } = watched;
      assert.equal(await page.locator('#auto-refresh-select').isDisabled(), true);
      assert.match(await page.locator('#auto-refresh-select').getAttribute('title') ?? '', /fixed time/);
      await page.locator('.presets button[data-from="-15m"]').click();
      await waitForView(page, 'ready');
      assert.equal(await page.locator('#auto-refresh-select').isDisabled(), false, 'a relative range can refresh again');
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });

    it('copies a link that pins the range to absolute times, or shows it where the clipboard is refused', async () => {
      const watched = await open('?from=-1h&refresh=30s&tz=utc');
      const { page } = watched;
      await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
      await page.locator('#copy-link').click();
      const field = page.locator('#copy-link-field');
      await field.waitFor();
      const link = new URL(await field.inputValue());
      assert.deepEqual([link.searchParams.get('from'), link.searchParams.get('until'), link.searchParams.get('refresh')],
        ['2024-05-01T11:00:00Z', '2024-05-01T12:00:00Z', null]);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'copy-link-field', 'selected, ready to copy');
      const range = await page.locator('#range-text').textContent();
      server.setNow(DEFAULT_NOW + 3600);
      try {
        await page.goto(link.href);
        await waitForView(page, 'ready');
        assert.equal(await page.locator('#range-text').textContent(), range, 'the link shows the same range an hour later');
      } finally {
        server.setNow(DEFAULT_NOW);
      }

      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.goto(`${server.url}/graph/${HOST}/?from=-15m&tz=utc`);
      await waitForView(page, 'ready');
      await page.locator('#copy-link').click();
      await page.waitForFunction(() => document.querySelector('#copy-link-result')?.textContent === 'link copied');
      const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
      assert.equal(copied.searchParams.get('from'), '2024-05-01T11:45:00Z');
      assert.equal(await field.isHidden(), true);
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    });
  });
});
