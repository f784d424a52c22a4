/**
 * Where the graph page's time goes, from navigation to the graph painted:
 * the network (each file's request, its wait for the server's first byte
 * and its download, from Resource Timing), the page's script phases (timed
 * by wrappers the page does not know of: JSON.parse of big answers, d3's
 * hierarchy and partition, the whole d3-flame-graph draw) and the main
 * thread's CPU by trace event, self time only (a Layout forced inside a
 * script counts as layout, not twice), split at the /profile answer's
 * arrival. Medians over `runs` fresh loads in Debian's Chromium at
 * 1920×1080, printed as lines on stderr: the figures the README quotes.
 */
import { launchChromium } from '../test/visualizer/browser/browser-session.js';
import { median } from './measure.js';
import { WHEN_GRAPH_PAINTED, rendererMainThread, tracedLoad, type TraceEvent } from './page-draw.js';

/**
 * Runs in the page before its scripts. Wraps JSON.parse and, as the vendor
 * bundles define them, d3.hierarchy, d3.partition's layout and the chart
 * d3-flame-graph's factory makes (a Proxy, so its chained setters still
 * work): each adds its milliseconds to window.phases. Marks 'zero' so the
 * trace's clock can be set against performance.now().
 */
const PHASE_TIMERS = `
  performance.mark('zero');
  const phases = (window.phases = {});
  const timed = (name, fn) => function (...args) {
    const started = performance.now();
    try { return fn.apply(this, args); } finally { phases[name] = (phases[name] ?? 0) + performance.now() - started; }
  };
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    return (typeof text === 'string' && text.length > 100000 ? timed('JSON.parse of answers over 100 kB', parse) : parse).call(this, text, reviver);
  };
  // Each value assigned to object[key] is kept as wrap(value): the bundles assign these as they run.
  const onAssign = (object, key, wrap) => {
    let value;
    Object.defineProperty(object, key, { configurable: true, enumerable: true, get: () => value, set: (assigned) => { value = wrap(assigned); } });
  };
  onAssign(window, 'd3', (d3) => {
    onAssign(d3, 'hierarchy', (fn) => timed('d3.hierarchy', fn));
    onAssign(d3, 'partition', (fn) => (...args) => timed('d3 partition layout', fn(...args)));
    return d3;
  });
  onAssign(window, 'flamegraph', (flamegraph) => {
    onAssign(flamegraph, 'default', (make) => (...args) => {
      const chart = make(...args);
      const proxy = new Proxy(chart, {
        apply: (target, self, callArgs) => timed('d3-flame-graph first draw (hierarchy, partition and DOM included)', target).apply(self, callArgs),
        // apply and call stay the function's own, so that chart.apply(…) (d3's selection.call) reaches the apply trap.
        get: (target, key) => typeof target[key] === 'function' && key !== 'apply' && key !== 'call'
          ? (...methodArgs) => { const result = target[key](...methodArgs); return result === target ? proxy : result; }
          : target[key],
      });
      return proxy;
    });
    return flamegraph;
  });
`;

/** Names of files the breakdown times, as they appear in resource URLs (graph-shared-: the chunk both bundles import). */
const FILES = ['first-requests.js', 'graph-shared-', 'd3.min.js', 'd3-flamegraph.min.js', 'graph.js', '/profile/', '/timeline/'];

interface PageTimes {
  html: Record<string, number>;
  resources: Record<string, Record<string, number>>;
  phases: Record<string, number>;
  drawnAt: number;
  zeroAt: number;
  profileEnd: number;
}

export async function measurePageBreakdown(url: string, runs: number): Promise<void> {
  const browser = await launchChromium();
  const samples = new Map<string, number[]>();
  const add = (name: string, value: number) => samples.set(name, [...(samples.get(name) ?? []), value]);
  try {
    for (let run = 0; run <= runs; run++) {
      const { page, events } = await tracedLoad(browser, url, {
        initScripts: [PHASE_TIMERS, WHEN_GRAPH_PAINTED], until: 'graph painted', categories: ['blink.user_timing', 'v8'],
      });
      const times = await page.evaluate((files) => {
        const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        const resources: Record<string, Record<string, number>> = {};
        for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
          const file = files.find((name) => entry.name.includes(name));
          if (file === undefined || resources[file] !== undefined) continue;
          resources[file] = {
            'requested at': entry.startTime,
            'waiting for the first byte': entry.responseStart - entry.requestStart,
            'done at': entry.responseEnd,
            'bytes transferred': entry.transferSize,
          };
        }
        const { phases, drawnAt } = window as unknown as { phases: Record<string, number>; drawnAt: number };
        return {
          html: { 'first byte at': navigation.responseStart, 'done at': navigation.responseEnd, 'DOMContentLoaded at': navigation.domContentLoadedEventEnd },
          resources,
          phases,
          drawnAt,
          zeroAt: performance.getEntriesByName('zero')[0].startTime,
          profileEnd: resources['/profile/']['done at'],
        } satisfies PageTimes;
      }, FILES);
      await page.context().close();
      if (run === 0) continue; // the first load warms the browser's caches
      add('drawn at', times.drawnAt);
      for (const [name, value] of Object.entries(times.html)) add(`HTML ${name}`, value);
      for (const [file, entry] of Object.entries(times.resources)) {
        for (const [name, value] of Object.entries(entry)) add(`${file} ${name}`, value);
      }
      for (const [name, value] of Object.entries(times.phases)) add(`script: ${name}`, value);
      for (const [name, value] of mainThreadSelfTimes(events, times)) add(`CPU ${name}`, value);
      for (const [name, value] of cpuByThread(events, times)) add(`CPU of thread ${name}`, value);
    }
  } finally {
    await browser.close();
  }
  console.error('  breakdown, medians (ms from navigation start; CPU: main-thread self time by trace event, before / after the /profile answer arrived):');
  for (const [name, values] of samples) {
    // Runs without an event count it as 0 ms; events under a millisecond are left out.
    const value = median([...values, ...Array(runs - values.length).fill(0)]);
    if (!name.startsWith('CPU') || value >= 1) console.error(`    ${name}: ${value.toFixed(1)}`);
  }
}

/** Main-thread self CPU time by event name (ms), each split at the /profile answer's arrival, and each side's total. */
function mainThreadSelfTimes(events: TraceEvent[], times: PageTimes): Map<string, number> {
  const zero = events.find((event) => event.name === 'zero' && event.cat?.includes('blink.user_timing'));
  if (zero === undefined) throw new Error("the trace has no user timing mark 'zero'");
  const arrivedTs = zero.ts + (times.profileEnd - times.zeroAt) * 1000;
  const drawnTs = zero.ts + (times.drawnAt - times.zeroAt) * 1000;
  const main = rendererMainThread(events).filter((event) => event.ts <= drawnTs);
  const self = new Map<string, number>();
  /** Open events, innermost last. */
  const open: { event: TraceEvent; self: number }[] = [];
  const close = (until: number) => {
    while (open.length > 0 && open.at(-1)!.event.ts + open.at(-1)!.event.dur! <= until) {
      const { event, self: selfTime } = open.pop()!;
      const side = event.ts < arrivedTs ? 'before' : 'after';
      const key = `${eventName(event)} (${side})`;
      self.set(key, (self.get(key) ?? 0) + selfTime / 1000);
    }
  };
  for (const event of main) {
    close(event.ts);
    if (open.length > 0) open.at(-1)!.self -= event.tdur!;
    open.push({ event, self: event.tdur! });
  }
  close(Number.POSITIVE_INFINITY);
  for (const side of ['before', 'after']) {
    self.set(`total (${side})`, [...self].filter(([key]) => key.endsWith(`(${side})`)).reduce((sum, [, ms]) => sum + ms, 0));
  }
  return self;
}

/**
 * CPU time (ms) of every traced thread of the browser's processes from
 * navigation to the graph painted, by process and thread name: the main
 * thread's is not all, as rasterising and compositing run on others.
 */
function cpuByThread(events: TraceEvent[], times: PageTimes): Map<string, number> {
  const zero = events.find((event) => event.name === 'zero' && event.cat?.includes('blink.user_timing'))!;
  const startTs = zero.ts - times.zeroAt * 1000;
  const drawnTs = zero.ts + (times.drawnAt - times.zeroAt) * 1000;
  const names = new Map<string, string>();
  const processes = new Map<number, string>();
  for (const event of events) {
    if (event.ph !== 'M') continue;
    if (event.name === 'thread_name') names.set(`${event.pid}:${event.tid}`, event.args?.name ?? '?');
    if (event.name === 'process_name') processes.set(event.pid, event.args?.name ?? '?');
  }
  const complete = events
    .filter((event) => event.ph === 'X' && event.tdur !== undefined && event.ts >= startTs && event.ts <= drawnTs)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const ends = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const event of complete) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ts < (ends.get(thread) ?? 0)) continue; // nested in one already counted
    ends.set(thread, event.ts + event.dur!);
    const name = `${processes.get(event.pid) ?? event.pid}/${names.get(thread) ?? event.tid}`;
    totals.set(name, (totals.get(name) ?? 0) + event.tdur! / 1000);
  }
  return totals;
}

/** A script's evaluation is named by its file. */
function eventName(event: TraceEvent): string {
  const file = event.args?.data?.url?.split('/').at(-1);
  return file && (event.name === 'EvaluateScript' || event.name.startsWith('v8.compile')) ? `${event.name} ${file}` : event.name;
}
