import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { forgetHostRoute } from '../../src/collector/forget-route.js';
import { refuseWithoutSecret } from '../../src/collector/secret-check.js';
import { jsonErrorHandler } from '../../src/http-error.js';
import { securityHeaders } from '../../src/http/security-headers.js';
import { createLogger } from '../../src/log.js';
import { createMetrics, type Metrics } from '../../src/operability/metrics.js';
import { sha256 } from '../../src/profiler-token.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { STACK_CACHE_CHARS } from '../../src/store/stack-cache.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { ANSWER_CACHE_BYTES, AnswerCache } from '../../src/visualizer/answer-cache.js';
import { HostLists } from '../../src/visualizer/host-lists.js';
import { QueryPool } from '../../src/visualizer/query-pool.js';
import { visualizerRoutes } from '../../src/visualizer/routes.js';
import { SharedBuilds } from '../../src/visualizer/shared-builds.js';
import { VENDOR_INLINE_STYLE_HASHES } from '../../src/visualizer/vendor-files.js';
import { parseExposition, sampleValue } from '../support/prometheus-exposition.js';
import { tempFolder } from '../support/temp-folder.js';

/** 2024-05-01T12:00:00Z: the clock's default reading, in Unix seconds. */
export const DEFAULT_NOW = 1714564800;

export interface VisualizerOptions {
  /** Host names as the config would list them; default none. */
  configuredHosts?: readonly string[];
  /** Unix seconds the clock reads until setNow changes it; default DEFAULT_NOW. */
  now?: number;
  /** Default: the repository's public/. */
  publicDir?: string;
  /** Default 30 days. */
  retentionSeconds?: number;
  /** When given, DELETE /hosts/:host is mounted too, behind this secret, as the collector mounts it. */
  collectorSecret?: string;
  /** `[store] answer_cache`; default the server's. */
  answerCacheBytes?: number;
  /** Whether a request may join an identical one's build that has begun reading; default true, as a collecting server does. */
  joinStartedBuilds?: boolean;
  /** `[server] query_timeout` in ms; default a minute. */
  queryTimeoutMs?: number;
}

export interface RunningVisualizer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  /** The real LMDB store the server reads, in a temp folder: write samples here. */
  store: StackStore;
  /** What the server counts, as /metrics would show it. */
  metrics: Metrics;
  /** Sets the clock both the server and the store read (Unix seconds, may be fractional). */
  setNow(seconds: number): void;
  /** Stops the server and closes the store; its folder goes when the test process exits. */
  close(): Promise<void>;
}

/**
 * The visualizer as the server mounts it (security headers, routes at '/',
 * then the JSON error handler) on a free loopback port, over a fresh LMDB store and a fixed clock.
 */
export async function startVisualizer(options: VisualizerOptions = {}): Promise<RunningVisualizer> {
  let nowMs = (options.now ?? DEFAULT_NOW) * 1000;
  const clock = () => nowMs;
  const dbpath = join(tempFolder('visualizer'), 'db');
  const retentionSeconds = options.retentionSeconds ?? 30 * 86400;
  const store = openStackStore({ path: dbpath, retentionSeconds, clock, maintenanceIntervalMs: 0 });
  // As the server answers them: in a worker thread reading the same folder, at the clock's reading.
  const metrics = createMetrics({ storePath: dbpath });
  const queries = new QueryPool({
    worker: { dbpath, retentionSeconds, configuredHosts: options.configuredHosts ?? [], stackCacheChars: STACK_CACHE_CHARS },
    size: 1,
    maxQueued: 16,
    timeoutMs: options.queryTimeoutMs ?? 60_000,
    log: createLogger('silent'),
    metrics,
  });
  const app = express();
  app.use(securityHeaders(VENDOR_INLINE_STYLE_HASHES));
  if (options.collectorSecret !== undefined) {
    const forget = forgetHostRoute({ store, configuredHosts: options.configuredHosts ?? [], log: createLogger('silent') });
    app.delete('/hosts/:host', refuseWithoutSecret(sha256(options.collectorSecret)), forget);
  }
  app.use(
    visualizerRoutes({
      store,
      configuredHosts: options.configuredHosts ?? [],
      clock,
      queries,
      answers: new AnswerCache(options.answerCacheBytes ?? ANSWER_CACHE_BYTES, metrics),
      builds: new SharedBuilds({ joinStarted: options.joinStartedBuilds ?? true, metrics }),
      // The samples are written in this process, as a collecting server's are.
      hostLists: new HostLists(options.configuredHosts ?? [], store, { ownWrites: true }),
      publicDir: options.publicDir,
    }),
  );
  app.use(jsonErrorHandler(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    metrics,
    setNow(seconds) {
      nowMs = seconds * 1000;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await queries.close();
      await store.close();
    },
  };
}

/** GETs `path` from the running server and reads the body as JSON. */
/** A metric's value by name and labels, NaN when absent. */
export type MetricValue = (name: string, labels?: Record<string, string>) => number;

/** The visualizer's own metrics whose lines start with `prefix`, read now. */
export async function metricsNamed(visualizer: RunningVisualizer, prefix: string): Promise<MetricValue> {
  // Only ours: the default metrics read NaN ("Nan") before the event loop's lag is first measured.
  const lines = (await visualizer.metrics.exposition()).text.split('\n').filter((line) => line.startsWith(prefix));
  const exposition = parseExposition(lines.join('\n'));
  return (name, labels = {}) => sampleValue(exposition, name, labels) ?? Number.NaN;
}

export async function getJson<T = unknown>(
  visualizer: RunningVisualizer,
  path: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(visualizer.url + path);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${path} answers JSON`);
  return { status: response.status, body: (await response.json()) as T };
}
