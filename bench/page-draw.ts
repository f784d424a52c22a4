import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/visualizer/browser/browser-session.js';
import { childTreeCpuNanoseconds, median } from './measure.js';

export interface PageDraw {
  /** From the page's /profile answer fully arrived to the graph painted. */
  afterDataMs: number;
  /** From navigation start to the graph painted: what the user waits. */
  navigationMs: number;
  /**
   * CPU time of all the browser's processes (browser, GPU, network,
   * renderer) from navigation to the graph seen painted: on a machine of
   * two cores, what the load has to share them with the server for.
   */
  browserCpuMs: number;
}

/**
 * Runs in the page before its scripts: sets `window.drawnAt` (ms since
 * navigation start) once the graph is on screen, and says so on the console
 * (`graph painted`), which heardFrom hears. body[data-view=ready]
 * comes before that: frames may still get their widths and labels in later
 * animation frames (d3 transitions run on timers), and the browser has yet
 * to lay out and paint them. So: once the page says ready, look in each
 * animation frame's callback, where the DOM is what that frame will paint,
 * whether every frame has its width and every frame wide enough for a label
 * has its text; the first frame where they do paints the whole graph, and a
 * task posted from its callback runs after that paint.
 * Plain JavaScript text: tsx would wrap named functions of a TypeScript
 * function in a helper the page does not have.
 */
export const WHEN_GRAPH_PAINTED = `
  const complete = () => [...document.querySelectorAll('#chart g.frame')].every((frame) => {
    const width = Number(frame.querySelector('rect')?.getAttribute('width') ?? Number.NaN);
    return width >= 0 && (width < 35 || frame.textContent !== '');
  });
  const checkEachFrame = () => requestAnimationFrame(() => {
    if (!complete()) checkEachFrame();
    else setTimeout(() => {
      window.drawnAt = performance.now();
      console.debug('graph painted', window.drawnAt);
    }, 0);
  });
  new MutationObserver((changes, observer) => {
    if (document.body?.dataset.view === 'ready') {
      observer.disconnect();
      checkEachFrame();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-view'] });
`;

/**
 * Waits for `page` to say `words` on the console (WHEN_GRAPH_PAINTED says
 * `graph painted`), and gives what it said. By the console, not by
 * evaluating in the page: a Playwright wait injects its own script into the
 * page first, some 30 ms of the page's main thread that would land between
 * the draw and its paint. Ask before the navigation: the page may say it
 * before its load event.
 */
export async function heardFrom(page: Page, words: string): Promise<string> {
  const message = await page.waitForEvent('console', { predicate: (said) => said.text().startsWith(words), timeout: 60_000 });
  return message.text();
}

/** The main thread's events and more, for the trace categories below. */
const MAIN_THREAD_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

/**
 * Loads `url` in a fresh 1920×1080 context of `browser`, with `initScripts`
 * run before the page's own, traced from before the navigation until the
 * page says `until` on the console (see heardFrom). The caller closes the
 * page's context.
 */
export async function tracedLoad(browser: Browser, url: string, { initScripts, until, categories = [] }: {
  initScripts: string[];
  until: string;
  /** Trace categories beyond the main thread's tasks (RunTask is in the second of those). */
  categories?: string[];
}): Promise<{ page: Page; events: TraceEvent[]; said: string }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  for (const content of initScripts) await page.addInitScript({ content });
  await browser.startTracing(page, { categories: [...MAIN_THREAD_CATEGORIES, ...categories] });
  const heard = heardFrom(page, until);
  await page.goto(url);
  const said = await heard;
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  return { page, events: trace.traceEvents, said };
}

/**
 * How long the page at `url` takes to paint its graph, as medians over `runs`
 * fresh loads in Debian's Chromium at 1920×1080. `compressed: false` asks
 * for identity encoding (Accept-Encoding: identity), as a server without
 * compression would answer.
 */
export async function measurePageDraw(url: string, runs: number, { compressed = true } = {}): Promise<PageDraw> {
  const browser = await launchChromium();
  try {
    const afterData: number[] = [];
    const navigation: number[] = [];
    const browserCpu: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({
        viewport: { width: 1920, height: 1080 },
        extraHTTPHeaders: compressed ? {} : { 'Accept-Encoding': 'identity' },
      });
      const page = await context.newPage();
      await page.addInitScript({ content: WHEN_GRAPH_PAINTED });
      const cpuBefore = childTreeCpuNanoseconds('chromium');
      const painted = heardFrom(page, 'graph painted');
      await page.goto(url);
      await painted;
      const cpuMs = (childTreeCpuNanoseconds('chromium') - cpuBefore) / 1e6;
      const [sinceData, sinceNavigation] = await page.evaluate(() => {
        const profile = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/profile/')) as PerformanceResourceTiming;
        const { drawnAt } = window as unknown as { drawnAt: number };
        // performance.now() counts from the navigation's start.
        return [drawnAt - profile.responseEnd, drawnAt];
      });
      if (run > 0) {
        // the first load warms the browser's caches
        afterData.push(sinceData);
        navigation.push(sinceNavigation);
        browserCpu.push(cpuMs);
      }
      await context.close();
    }
    return { afterDataMs: median(afterData), navigationMs: median(navigation), browserCpuMs: median(browserCpu) };
  } finally {
    await browser.close();
  }
}

/**
 * Milliseconds from a click on the widest "(other)" frame of the page at
 * `url` to the detail behind it drawn (the page back at
 * body[data-view=ready] after loading the `path=` answer), as a median over
 * `runs` fresh loads; null when the graph has no "(other)" to click.
 */
export async function measureDetailDraw(url: string, runs: number): Promise<number | null> {
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.view === 'ready', null, { timeout: 60_000 });
      const ms = await page.evaluate(() => new Promise<number | null>((resolve) => {
        const others = [...document.querySelectorAll<SVGGElement>('#chart g.frame[name="(other)"]')];
        const widest = others.sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
        if (!widest) {
          resolve(null);
          return;
        }
        let loading = false;
        const started = performance.now();
        new MutationObserver((_changes, observer) => {
          if (document.body.dataset.view === 'loading') loading = true;
          else if (loading && document.body.dataset.view === 'ready') {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        }).observe(document.body, { attributes: true, attributeFilter: ['data-view'] });
        widest.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      }), null);
      await context.close();
      if (ms === null) return null;
      if (run > 0) samples.push(ms); // the first load warms the browser's caches
    }
    return median(samples);
  } finally {
    await browser.close();
  }
}

/** Trace events of the browser's rendering steps: style, layout, pre-paint, paint, layerize. */
const RENDERING_EVENTS = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize']);

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, in µs. */
  tdur?: number;
  args?: { name?: string; data?: { url?: string } };
}

/**
 * CPU time of the page's main thread (the thread time of its top-level
 * trace events) from navigation to the graph painted, and the part of it
 * spent styling, laying out and painting: medians over `runs` fresh loads.
 * Wall-clock figures on a shared machine mostly measure the other
 * processes; this one moves only with the work the page makes.
 */
export async function measurePageMainThread(url: string, runs: number): Promise<{ cpuMs: number; renderingMs: number }> {
  const browser = await launchChromium();
  try {
    const cpu: number[] = [];
    const rendering: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const { page, events } = await tracedLoad(browser, url, { initScripts: [WHEN_GRAPH_PAINTED], until: 'graph painted' });
      await page.context().close();
      if (run > 0) {
        // the first load warms the browser's caches
        const { cpuMs, renderingMs } = mainThreadCpu(events);
        cpu.push(cpuMs);
        rendering.push(renderingMs);
      }
    }
    return { cpuMs: median(cpu), renderingMs: median(rendering) };
  } finally {
    await browser.close();
  }
}

/**
 * The CPU time (ms) of the page's main thread over a trace: the thread time
 * of its top-level events, and of its style, layout and paint events.
 */
export function mainThreadCpu(events: TraceEvent[]): { cpuMs: number; renderingMs: number } {
  let total = 0;
  let rendering = 0;
  let topLevelEnd = 0;
  for (const event of rendererMainThread(events)) {
    if (RENDERING_EVENTS.has(event.name)) rendering += event.tdur!;
    if (event.ts >= topLevelEnd) {
      total += event.tdur!;
      topLevelEnd = event.ts + event.dur!;
    }
  }
  return { cpuMs: total / 1000, renderingMs: rendering / 1000 };
}

/** The complete events of the page's main thread with a thread time, in start order (an enclosing event first). */
export function rendererMainThread(events: TraceEvent[]): TraceEvent[] {
  const main = events.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (main === undefined) throw new Error('the trace has no CrRendererMain thread');
  return events
    .filter((event) => event.ph === 'X' && event.pid === main.pid && event.tid === main.tid && event.tdur !== undefined && event.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
}
