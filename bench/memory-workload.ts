/**
 * The memory bench's workload (see memory.ts), run in its own process by
 * plain `node` over dist/'s modules, as a deployed server runs: memory.ts
 * strips this file's types and starts it, then measures the process from
 * outside. Types come from src/, values from dist/ and the packages at the
 * URLs memory.ts gives (the script runs from a temp folder), so it
 * typechecks with the rest of bench/ and loads what ships.
 *
 * It tells memory.ts over IPC where it is (MemoryBenchStep) and waits for
 * an answer before going on, so every reading is taken at the same point
 * of the workload as when the bench ran in-process.
 */
import { availableParallelism } from 'node:os';
import type * as StackCacheModule from '../src/store/stack-cache.js';
import type * as StoreModule from '../src/store/lmdb-stack-store.js';
import type * as MetricsModule from '../src/operability/metrics.js';
import type * as QueryPoolModule from '../src/visualizer/query-pool.js';
import type { Logger } from '../src/log.js';
import type * as PinoModule from 'pino';

/** What the workload tells memory.ts: the reading is taken while it waits. */
export type MemoryBenchStep =
  | { at: 'million'; pushed: number; day: number; seconds: number; heap: NodeJS.MemoryUsage }
  | { at: 'end'; heap: NodeJS.MemoryUsage; dictionaryPeak: number }
  | { at: 'collected'; heap: NodeJS.MemoryUsage }
  | { at: 'closed'; heap: NodeJS.MemoryUsage };

/** How memory.ts starts it: the store folder, the run's shape, and where dist/ and pino are (file URLs). */
export interface MemoryBenchSetup {
  folder: string;
  distinctStacks: number;
  simulatedDays: number;
  dist: string;
  pino: string;
}

const DAY = 86400;
/** A collection every 10 simulated minutes. */
const EVERY = 600;
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

/**
 * The store's logger, which forwards its lines to stderr and keeps the most
 * entries a dictionary collection found (kept + deleted): between two
 * collections the dictionary only grows, so that is its peak.
 */
function dictionaryWatch({ pino }: typeof PinoModule): { logger: Logger; peak: () => number } {
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

/** Tells memory.ts where the workload is and waits until it has taken its reading. */
function reached(step: MemoryBenchStep): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!(step);
  });
}

async function run({ folder, distinctStacks, simulatedDays, dist, pino }: MemoryBenchSetup): Promise<void> {
  const { openStackStore } = (await import(`${dist}/store/lmdb-stack-store.js`)) as typeof StoreModule;
  const { STACK_CACHE_CHARS } = (await import(`${dist}/store/stack-cache.js`)) as typeof StackCacheModule;
  const { createMetrics } = (await import(`${dist}/operability/metrics.js`)) as typeof MetricsModule;
  const { QueryPool } = (await import(`${dist}/visualizer/query-pool.js`)) as typeof QueryPoolModule;
  const collections = (simulatedDays * DAY) / EVERY;
  const newPerCollection = Math.ceil(distinctStacks / collections);
  const start = 1_700_000_000;
  let now = start;
  const dictionary = dictionaryWatch((await import(pino)) as typeof PinoModule);
  const store = openStackStore({ path: folder, retentionSeconds: DAY, maintenanceIntervalMs: 0, clock: () => now * 1000, logger: dictionary.logger });
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
  let pushed = 0;
  let nextMillion = 1_000_000;
  const started = performance.now();
  try {
    for (let collection = 0; collection < collections; collection++) {
      now = start + collection * EVERY;
      const stacks = new Map<string, number>();
      for (let i = 0; i < STEADY_STACKS; i++) stacks.set(stackNumber(i, 'steady'), 1 + (i % 5));
      for (let i = 0; i < newPerCollection && pushed < distinctStacks; i++) stacks.set(stackNumber(pushed++, ''), 1);
      await store.write(HOSTS[collection % HOSTS.length], now, stacks);
      await store.maintain();
      // Hours from the start: it is not on a clock hour, so `now % 3600` never came round and no read ran.
      const elapsed = now - start;
      if (elapsed % 3600 === 0) await readPage('1h');
      if (elapsed % (6 * 3600) === 0) await readPage('6h');
      if (pushed >= nextMillion) {
        await reached({ at: 'million', pushed, day: elapsed / DAY, seconds: (performance.now() - started) / 1000, heap: process.memoryUsage() });
        nextMillion += 1_000_000;
      }
    }
    await reached({ at: 'end', heap: process.memoryUsage(), dictionaryPeak: dictionary.peak() });
    // Only at the end: a forced collection also lowers V8's heap target, which would change the readings after it.
    (globalThis as { gc?: () => void }).gc!();
    await reached({ at: 'collected', heap: process.memoryUsage() });
  } finally {
    await queries.close();
    await store.close();
  }
  await reached({ at: 'closed', heap: process.memoryUsage() });
  process.disconnect();
}

await run(JSON.parse(process.env.MEMORY_BENCH_SETUP!) as MemoryBenchSetup);
