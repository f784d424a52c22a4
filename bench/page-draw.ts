import type { Page } from 'playwright-core';
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
 * (`graph painted`), which waitForGraphPainted hears. body[data-view=ready]
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
 * Waits for `page` (with WHEN_GRAPH_PAINTED among its init scripts) to paint
 * its graph. By its console message, not by evaluating in the page: a
 * Playwright wait injects its own script into the page first, some 30 ms of
 * the page's main thread that would land between the draw and its paint.
 */
export async function waitForGraphPainted(page: Page): Promise<void> {
  await page.waitForEvent('console', { predicate: (message) => message.text().startsWith('graph painted'), timeout: 60_000 });
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
      const painted = waitForGraphPainted(page); // heard from before the navigation: the graph may paint before load
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
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      await page.addInitScript({ content: WHEN_GRAPH_PAINTED });
      // The second category holds RunTask, the event around each task of the main thread.
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      const painted = waitForGraphPainted(page); // heard from before the navigation: the graph may paint before load
      await page.goto(url);
      await painted;
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      await context.close();
      const main = rendererMainThread(trace.traceEvents);
      let total = 0;
      let renderingTotal = 0;
      let topLevelEnd = 0;
      for (const event of main) {
        if (RENDERING_EVENTS.has(event.name)) renderingTotal += event.tdur!;
        if (event.ts >= topLevelEnd) {
          total += event.tdur!;
          topLevelEnd = event.ts + event.dur!;
        }
      }
      if (run > 0) {
        // the first load warms the browser's caches
        cpu.push(total / 1000);
        rendering.push(renderingTotal / 1000);
      }
    }
    return { cpuMs: median(cpu), renderingMs: median(rendering) };
  } finally {
    await browser.close();
  }
}

/** The complete events of the page's main thread with a thread time, in start order (an enclosing event first). */
export function rendererMainThread(events: TraceEvent[]): TraceEvent[] {
  const main = events.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (main === undefined) throw new Error('the trace has no CrRendererMain thread');
  return events
    .filter((event) => event.ph === 'X' && event.pid === main.pid && event.tid === main.tid && event.tdur !== undefined && event.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
}
