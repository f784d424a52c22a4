import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { diskBytes } from './disk-bytes.js';

/** How one host's pull ended, for the collections counter. */
export type PullOutcome = 'ok' | 'failed' | 'skipped';

/**
 * Why, as a fixed set of words (labels must stay few; the free-text reason
 * is in the logs and on the index page): `none` for ok; for failed, where the
 * exchange broke (`timeout`, `http_status`, `too_large`, `request`) or that
 * the body came but was not stored (`rejected`: unreadable, or the store
 * refused it); for skipped, which limit held it back.
 */
export type PullReason =
  | 'none'
  | 'timeout'
  | 'http_status'
  | 'too_large'
  | 'request'
  | 'rejected'
  | 'previous_running'
  | 'no_slot'
  | 'no_buffer_space';

/** Where samples came in: pulled by the collector or pushed to /ingest. */
export type IngestSource = 'pull' | 'push';

/** What caused a collection over every host: the schedule or a GET /collector/. */
export type CollectionTrigger = 'schedule' | 'manual';

/**
 * How a query handed to the worker pool ended: `answered`; `refused` with
 * its own 4xx (a bad parameter, an unknown host); `failed` by a bug in the
 * worker's code; `busy` (the queue was full), `timeout`, `worker_died`,
 * `abandoned` (the client left while it waited), `shutdown`.
 */
const QUERY_OUTCOMES = ['answered', 'refused', 'failed', 'busy', 'timeout', 'worker_died', 'abandoned', 'shutdown'] as const;
export type QueryOutcome = (typeof QUERY_OUTCOMES)[number];

/** The query pool's jobs at one moment. */
export interface QueryPoolLoad {
  queued: number;
  running: number;
}

/**
 * Everything the rest of the server reports for /metrics: the only place
 * that knows prom-client, so the collector and routes speak in their own words.
 */
export interface Metrics {
  hostPulled(host: string, outcome: PullOutcome, reason: PullReason, seconds: number): void;
  collectionDone(trigger: CollectionTrigger, seconds: number): void;
  ingested(source: IngestSource, samples: number, bytes: number): void;
  /** `route` is the route's pattern (`/profile/:host/`), never the path asked for. */
  requestServed(route: string, seconds: number): void;
  /** A query reached a worker after `waitSeconds` in the queue. */
  queryStarted(waitSeconds: number): void;
  queryEnded(outcome: QueryOutcome): void;
  /** Where the queued and running query gauges are read at each scrape. */
  watchQueryPool(load: () => QueryPoolLoad): void;
  /** A /profile or /functions request was looked for among the kept answers (see answer-cache.ts). */
  answerLookedUp(outcome: 'hit' | 'miss'): void;
  /** A query request was answered by the build of an identical one already under way (see shared-builds.ts). */
  queryJoined(): void;
  /** Where the kept answers' size gauges are read at each scrape. */
  watchAnswerCache(size: () => { bytes: number; entries: number }): void;
  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<{ contentType: string; text: string }>;
}

export interface MetricsOptions {
  /** The LMDB folder, whose size on disk is reported. */
  storePath: string;
}

/** Seconds, from a fast loopback answer to a pull that hits a long timeout. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(options: MetricsOptions): Metrics {
  // Our own registry, not prom-client's global one: two servers in one process (tests) never share counts.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pulls = new Counter({
    name: 'liveprofiler_host_collections_total',
    help: 'Pulls of each configured host, by outcome and reason',
    labelNames: ['host', 'outcome', 'reason'] as const,
    registers: [registry],
  });
  const pullDuration = new Histogram({
    name: 'liveprofiler_host_pull_duration_seconds',
    help: 'Time of one host pull, from its request to its samples stored (skipped pulls not counted)',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const collectionDuration = new Histogram({
    name: 'liveprofiler_collection_duration_seconds',
    help: 'Time of one collection over every host (a tick of the schedule, or GET /collector/)',
    labelNames: ['trigger'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const samples = new Counter({
    name: 'liveprofiler_ingested_samples_total',
    help: 'Samples stored, by source',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'liveprofiler_ingested_bytes_total',
    help: 'Bytes of bodies whose samples were stored, by source',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'liveprofiler_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern',
    labelNames: ['route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const queryWait = new Histogram({
    name: 'liveprofiler_query_wait_seconds',
    help: 'Time a query waited for a free query worker ([server] query_workers)',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const queries = new Counter({
    name: 'liveprofiler_queries_total',
    help: 'Queries handed to the query workers, by how they ended',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  let queryPoolLoad: () => QueryPoolLoad = () => ({ queued: 0, running: 0 });
  new Gauge({
    name: 'liveprofiler_query_jobs',
    help: 'Queries waiting for a query worker (state="queued", at most [server] query_queue) and being answered (state="running")',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const { queued, running } = queryPoolLoad();
      this.set({ state: 'queued' }, queued);
      this.set({ state: 'running' }, running);
    },
  });
  const answerLookups = new Counter({
    name: 'liveprofiler_answer_cache_lookups_total',
    help: 'Queries looked for among the kept answers ([store] answer_cache), by whether one was there',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const joins = new Counter({
    name: 'liveprofiler_query_joins_total',
    help: 'Query requests (/profile, /functions, /diff, /timeline) answered by the build of an identical request already under way, instead of a build of their own',
    registers: [registry],
  });
  let answerCacheSize = () => ({ bytes: 0, entries: 0 });
  new Gauge({
    name: 'liveprofiler_answer_cache_bytes',
    help: 'Bytes of the kept answers, at most [store] answer_cache',
    registers: [registry],
    collect() {
      this.set(answerCacheSize().bytes);
    },
  });
  new Gauge({
    name: 'liveprofiler_answer_cache_entries',
    help: 'Answers kept',
    registers: [registry],
    collect() {
      this.set(answerCacheSize().entries);
    },
  });
  new Gauge({
    name: 'liveprofiler_store_size_bytes',
    help: 'Bytes the LMDB store occupies on disk',
    registers: [registry],
    collect() {
      this.set(diskBytes(options.storePath));
    },
  });
  // Every label combination starts at zero, so a rate is defined before the first event.
  for (const source of ['pull', 'push'] as const) {
    samples.inc({ source }, 0);
    bytes.inc({ source }, 0);
  }
  for (const outcome of QUERY_OUTCOMES) queries.inc({ outcome }, 0);
  for (const outcome of ['hit', 'miss'] as const) answerLookups.inc({ outcome }, 0);

  return {
    hostPulled(host, outcome, reason, seconds) {
      pulls.inc({ host, outcome, reason });
      if (outcome !== 'skipped') pullDuration.observe(seconds);
    },
    collectionDone(trigger, seconds) {
      collectionDuration.observe({ trigger }, seconds);
    },
    ingested(source, sampleCount, byteCount) {
      samples.inc({ source }, sampleCount);
      bytes.inc({ source }, byteCount);
    },
    requestServed(route, seconds) {
      requestDuration.observe({ route }, seconds);
    },
    queryStarted(waitSeconds) {
      queryWait.observe(waitSeconds);
    },
    queryEnded(outcome) {
      queries.inc({ outcome });
    },
    watchQueryPool(load) {
      queryPoolLoad = load;
    },
    answerLookedUp(outcome) {
      answerLookups.inc({ outcome });
    },
    queryJoined() {
      joins.inc();
    },
    watchAnswerCache(size) {
      answerCacheSize = size;
    },
    async exposition() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
