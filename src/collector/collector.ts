import { unixSeconds, type Clock } from '../clock.js';
import type { HostEntry } from '../config/config.js';
import type { Logger } from '../log.js';
import type { StackStore } from '../store/stack-store.js';
import { fetchHostBody, HostFetchError } from './fetch-host-body.js';
import type { HostReport } from './host-report.js';
import { recordFailure, storeSamplesBody } from './store-samples.js';

export interface CollectorDeps {
  hosts: readonly HostEntry[];
  secret: string;
  timeoutMs: number;
  maxBodyBytes: number;
  store: StackStore;
  log: Logger;
  clock: Clock;
}

export interface CollectionReport {
  /** Entries accepted over all hosts, as the 2016 tool counted them. */
  stacks_collected: number;
  /** The time every host's samples were stamped with. */
  time: number;
  duration_ms: number;
  hosts: HostReport[];
}

export interface Collector {
  /** Runs one collection, or joins the one already running: runs never overlap. */
  collect(): Promise<CollectionReport>;
  /** Abandons the running collection (what was already stored stays whole) and waits for it. */
  close(): Promise<void>;
}

/**
 * A pprof endpoint (`/debug/pprof/profile?seconds=N`) answers only after
 * profiling for N seconds: its pull gets those on top of the timeout.
 */
export function pullTimeoutMs(url: string, timeoutMs: number): number {
  const seconds = Number(new URL(url).searchParams.get('seconds') ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? timeoutMs + seconds * 1000 : timeoutMs;
}

export function createCollector(deps: CollectorDeps): Collector {
  const shutdown = new AbortController();
  let running: Promise<CollectionReport> | null = null;

  async function collectAll(): Promise<CollectionReport> {
    const started = deps.clock();
    const time = unixSeconds(deps.clock);
    // Every host at once, each bounded by its own timeout and size cap, so one slow host delays no other.
    const hosts = await Promise.all(deps.hosts.map((host) => collectHost(host, time)));
    const report: CollectionReport = {
      stacks_collected: hosts.reduce((sum, host) => sum + host.entries, 0),
      time,
      duration_ms: deps.clock() - started,
      hosts,
    };
    deps.log.info({ stacks: report.stacks_collected, failed: hosts.filter((host) => host.error).length, ms: report.duration_ms }, 'collection done');
    return report;
  }

  async function collectHost(host: HostEntry, time: number): Promise<HostReport> {
    let body: Buffer;
    try {
      body = await fetchHostBody(host.url, {
        secret: deps.secret,
        timeoutMs: pullTimeoutMs(host.url, deps.timeoutMs),
        maxBodyBytes: deps.maxBodyBytes,
        signal: shutdown.signal,
      });
    } catch (error) {
      if (!(error instanceof HostFetchError)) throw error;
      return recordFailure(deps, host.name, time, error.message);
    }
    return storeSamplesBody(deps, host.name, time, body, unixSeconds(deps.clock));
  }

  return {
    collect() {
      running ??= collectAll().finally(() => {
        running = null;
      });
      return running;
    },
    async close() {
      shutdown.abort();
      await running?.catch(() => undefined);
    },
  };
}
