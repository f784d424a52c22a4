import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { pino } from 'pino';
import type { Logger } from '../src/log.js';
import { runInNewContext } from 'node:vm';
import { createMetrics } from '../src/operability/metrics.js';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { STACK_CACHE_CHARS } from '../src/store/stack-cache.js';
import { diskBytes, isStoreFile, residentBytesOf } from './measure.js';
import { report } from './report.js';
import { DAY, tempFolder } from './workload-server.js';

const DISTINCT_STACKS = Number(process.env.MEMORY_BENCH_STACKS ?? 6_000_000);
/**
 * MEMORY_BENCH_DAYS shortens the run without changing a collection's shape:
 * 1.5 M stacks over 6 days push what 6 M over 24 do per collection (fewer
 * stacks over 24 days make collections small enough for the one-transaction
 * write path, which the full run does not take).
 */
const SIMULATED_DAYS = Number(process.env.MEMORY_BENCH_DAYS ?? 24);
/** A collection every 10 simulated minutes. */
const EVERY = 600;
const COLLECTIONS = (SIMULATED_DAYS * DAY) / EVERY;
const NEW_PER_COLLECTION = Math.ceil(DISTINCT_STACKS / COLLECTIONS);
/** Stacks every collection repeats: a service's busy paths, kept alive throughout. */
const STEADY_STACKS = 500;
const HOSTS = ['m0', 'm1'];

/** The `i`th distinct stack: service-shaped, 12 frames sharing prefixes, about 250 characters. */
function stackNumber(i: number, tag: string): string {
  const frames = ['main(app.server)', 'serve(app.server)', `route_${i % 20}(app.routes)`];
  for (let level = 3; level < 11; level++) frames.push(`step_${level}_${(i >> level) % 7}(app.module${level})`);
  frames.push(`leaf_${tag}${i}(app.work)`);
  return frames.join(';');
}

const rssMb = (): number => process.memoryUsage().rss / 1024 ** 2;

/**
 * V8's full collection, without starting Node with --expose-gc: how much of
 * the heap is live, as against garbage V8 has not yet needed to collect
 * (its heap target grows with the allocation rate, to several times what is live).
 */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Where the memory is: the main thread's V8 heap (the query workers' are not counted there, only in RSS), buffers outside it, and the rest (LMDB's mapped pages among it). */
function memoryBreakdown(): string {
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)}`;
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return `anonymous ${mb(kb('RssAnon'))} MB, file pages ${mb(kb('RssFile'))} MB (of them the store's ${mb(residentBytesOf('self', isStoreFile))} MB), malloc's main heap ${mb(residentBytesOf('self', (name) => name === '[heap]'))} MB; heap ${mb(heapUsed)}/${mb(heapTotal)} MB, external ${mb(external)} MB (array buffers ${mb(arrayBuffers)} MB)`;
}

/**
 * The store's logger, which forwards its lines to stderr and keeps the most
 * entries a dictionary collection found (kept + deleted): between two
 * collections the dictionary only grows, so that is its peak.
 */
function dictionaryWatch(): { logger: Logger; peak: () => number } {
  let peak = 0;
  const logger = pino({ level: 'info', base: undefined }, {
    write: (line: string) => {
      const { msg, kept, deleted } = JSON.parse(line) as { msg?: string; kept?: number; deleted?: number };
      if (msg === 'stack dictionary collected') peak = Math.max(peak, (kept ?? 0) + (deleted ?? 0));
      process.stderr.write(line);
    },
  });
  return { logger, peak: () => peak };
}

/**
 * Issue 12: 6 M distinct stacks pushed over 24 simulated days into an
 * in-process store with one day of retention, maintenance after every
 * collection as the server's timer would, and an hourly read of the last
 * hour (a daily one of the last 6 h) as a page asks for it, answered by the
 * server's query pool (its worker threads, with their long-lived StackShapes,
 * reading the same store). RSS is the whole process's: writer, maintenance
 * and query workers, as in the server; and, unlike the server, tsx's loader
 * thread and transpiled sources, some 30 MB (this bench's modules loaded:
 * 87-89 MB of RSS through tsx, 58 MB bundled and run by plain node). Memory
 * must follow what is kept and read, not what was ever seen.
 */
export async function memoryOverTime(): Promise<void> {
  console.error(`Memory: ${(DISTINCT_STACKS / 1e6).toFixed(0)} M distinct stacks over ${SIMULATED_DAYS} simulated days, retention 1 day`);
  const folder = tempFolder('memory');
  const start = 1_700_000_000;
  let now = start;
  const dictionary = dictionaryWatch();
  const store = openStackStore({ path: folder, retentionSeconds: DAY, maintenanceIntervalMs: 0, clock: () => now * 1000, logger: dictionary.logger });
  // The pool as deployed: dist/'s, whose workers run its .js (this bench runs through tsx, and so would workers started from src/).
  const { QueryPool } = (await import(new URL('../dist/visualizer/query-pool.js', import.meta.url).href)) as typeof import('../src/visualizer/query-pool.js');
  const queries = new QueryPool({
    worker: { dbpath: folder, retentionSeconds: DAY, configuredHosts: HOSTS, stackCacheChars: STACK_CACHE_CHARS },
    // [server] query_workers' default.
    size: Math.max(1, availableParallelism() - 1),
    maxQueued: 16,
    timeoutMs: 600_000,
    log: dictionary.logger,
    metrics: createMetrics({ storePath: folder }),
  });
  /** The graph page's read of both hosts' last `range`, as the page asks for it (compact, gzipped). */
  const readPage = (range: string) =>
    queries.run({ route: 'profile', host: '_all', query: { from: `-${range}`, until: 'now', format: 'compact' }, nowMs: now * 1000, gzip: true });
  const perMillion: number[] = [];
  let pushed = 0;
  let nextMillion = 1_000_000;
  const started = performance.now();
  try {
    for (let collection = 0; collection < COLLECTIONS; collection++) {
      now = start + collection * EVERY;
      const stacks = new Map<string, number>();
      for (let i = 0; i < STEADY_STACKS; i++) stacks.set(stackNumber(i, 'steady'), 1 + (i % 5));
      for (let i = 0; i < NEW_PER_COLLECTION && pushed < DISTINCT_STACKS; i++) stacks.set(stackNumber(pushed++, ''), 1);
      await store.write(HOSTS[collection % HOSTS.length], now, stacks);
      await store.maintain();
      // Hours from the start: it is not on a clock hour, so `now % 3600` never came round and no read ran.
      const elapsed = now - start;
      if (elapsed % 3600 === 0) await readPage('1h');
      if (elapsed % (6 * 3600) === 0) await readPage('6h');
      if (pushed >= nextMillion) {
        perMillion.push(rssMb());
        console.error(`  ${(pushed / 1e6).toFixed(0)} M stacks (day ${((now - start) / DAY).toFixed(1)}): RSS ${rssMb().toFixed(0)} MB (${memoryBreakdown()}), store ${(diskBytes(folder) / 1024 ** 2).toFixed(0)} MB, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        nextMillion += 1_000_000;
      }
    }
    const end = rssMb();
    // Only at the end: a forced collection also lowers V8's heap target, which would change the readings after it.
    fullGc();
    console.error(`  after a full garbage collection: RSS ${rssMb().toFixed(0)} MB (${memoryBreakdown()})`);
    console.error(`  RSS after each million: ${perMillion.map((mb) => mb.toFixed(0)).join(', ')} MB; at the end ${end.toFixed(0)} MB`);
    report('RSS after 6 M distinct stacks over 24 days, retention 1 day', end, 'MB', 300);
    report('RSS growth from the 2nd to the 6th million', end - perMillion[1], 'MB', null);
    report('store size on disk at the end (6 M stacks, 1 day kept)', diskBytes(folder) / 1024 ** 2, 'MB', null);
    report('stack dictionary at its peak (entries a collection found)', dictionary.peak(), 'entries', null);
  } finally {
    await queries.close();
    await store.close();
  }
  console.error(`  after closing the store: RSS ${rssMb().toFixed(0)} MB (${memoryBreakdown()})`);
}
