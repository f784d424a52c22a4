import { unixSeconds, type Clock } from '../clock.js';
import type { HostEntry } from '../config/config.js';
import type { Logger } from '../log.js';
import type { CollectionTrigger, Metrics, PullOutcome, PullReason } from '../operability/metrics.js';
import type { StackStore } from '../store/stack-store.js';
import { fetchHostBody, HostFetchError } from './fetch-host-body.js';
import { failedReport, type HostReport } from './host-report.js';
import { recordFailure, storeSamplesBody } from './store-samples.js';
import { TurnQueue } from './turn-queue.js';
import { WeightedSemaphore } from './weighted-semaphore.js';

export interface CollectorDeps {
  hosts: readonly HostEntry[];
  secret: string;
  timeoutMs: number;
  maxBodyBytes: number;
  maxStacks: number;
  /** Hosts pulled at once, across collections. */
  maxConcurrent: number;
  /** Bytes of bodies held at once across hosts, from the first byte received until the samples are stored. */
  maxBufferedBytes: number;
  store: StackStore;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
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
  /**
   * A tick of the schedule: pulls every host whose previous pull is over, and
   * reports the others skipped. Ticks overlap freely; a host's pulls never do.
   */
  tick(): Promise<CollectionReport>;
  /**
   * A collection on demand (GET /collector/): answers the last completed
   * collection if it ended within the cool-down, else joins the one still
   * running, else runs one. Calling it in a loop pulls no host faster than
   * once per cool-down.
   */
  collect(): Promise<CollectionReport>;
  /** Abandons every pull (what was already stored stays whole) and waits for them. */
  close(): Promise<void>;
}

/** The reasons a host is skipped for one collection: what /collector/ answers and the index page never records as the host's fault. */
export const SKIPPED_STILL_RUNNING = 'skipped: previous collection still running';
export const SKIPPED_NO_SLOT = 'skipped: no free pull slot before the next tick ([collector] max_concurrent)';
export const SKIPPED_NO_BUFFER_SPACE = 'skipped: no room to buffer the body before the next tick ([collector] max_buffered)';

/**
 * How long a completed collection answers GET /collector/ instead of a new
 * pull: far below any sane interval, and enough to turn a burst of calls
 * into one pull per host.
 */
export const MANUAL_COOLDOWN_MS = 1000;

/** A host's pull under way. */
interface Pull {
  /** Ends its waits for a slot or buffer space: the end of its tick (or of a manual collection's patience), or shutdown. */
  waitFor: AbortSignal;
  /** True while it waits for a slot or buffer space. */
  waiting: boolean;
}

/** Marks `pull` waiting until `capacity` is granted or refused. */
async function waitingFor<T>(pull: Pull, capacity: Promise<T>): Promise<T> {
  pull.waiting = true;
  try {
    return await capacity;
  } finally {
    pull.waiting = false;
  }
}

/**
 * The order in which collection number `collection` queues its `count`
 * hosts for slots: each collection starts elsewhere in the list, a stride of
 * about 0.618 of it further on (each host leads once every `count`
 * collections), so when slots run short (hung hosts holding
 * them) no host is always at the back of the queue, and the shortage is
 * shared by every host rather than starving the last ones in the config.
 */
export function queueOrder(count: number, collection: number): number[] {
  if (count === 0) return [];
  // A stride coprime with the count visits every starting point before repeating one.
  let stride = Math.max(1, Math.round(count * 0.618));
  while (greatestCommonDivisor(stride, count) !== 1) stride += 1;
  const first = (collection % count) * stride % count;
  return Array.from({ length: count }, (_, k) => (first + k) % count);
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
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
  const slots = new WeightedSemaphore(deps.maxConcurrent);
  const buffered = new WeightedSemaphore(deps.maxBufferedBytes);
  /** Hosts with a pull under way: at most one each, however many collections overlap. */
  const pulling = new Map<HostEntry, Pull>();
  const running = new Set<Promise<CollectionReport>>();
  /** The most recent collection started, while it runs. */
  let latest: Promise<CollectionReport> | null = null;
  let lastCompleted: { report: CollectionReport; endedAt: number } | null = null;
  /** Ends the waiting for slots and buffer space of the previous tick's hosts: each host waits within its own tick only. */
  let tickWaits = new AbortController();
  let collections = 0;
  /**
   * Pulls are sent one per turn of the event loop: a request costs a fraction
   * of a millisecond to set up, and a tick's 50 at once held the loop for
   * tens of milliseconds, the /hosts delays that came with every round.
   */
  const pullStarts = new TurnQueue();

  function start(trigger: CollectionTrigger, waitFor: AbortSignal): Promise<CollectionReport> {
    const collection = collectAll(trigger, AbortSignal.any([waitFor, shutdown.signal])).finally(() => {
      running.delete(collection);
      if (latest === collection) latest = null;
    });
    running.add(collection);
    latest = collection;
    return collection;
  }

  async function collectAll(trigger: CollectionTrigger, waitFor: AbortSignal): Promise<CollectionReport> {
    const started = deps.clock();
    const time = unixSeconds(deps.clock);
    // Every host at once, each bounded by its own timeout and size cap and by the shared limits, so one slow host delays no other.
    const pulls = new Array<Promise<HostReport>>(deps.hosts.length);
    for (const i of queueOrder(deps.hosts.length, collections++)) pulls[i] = pullHost(deps.hosts[i], time, waitFor);
    const hosts = await Promise.all(pulls);
    const endedAt = deps.clock();
    const report: CollectionReport = {
      stacks_collected: hosts.reduce((sum, host) => sum + host.entries, 0),
      time,
      duration_ms: endedAt - started,
      hosts,
    };
    if (lastCompleted === null || lastCompleted.report.time <= time) lastCompleted = { report, endedAt };
    deps.metrics.collectionDone(trigger, report.duration_ms / 1000);
    deps.log.debug({ trigger, stacks: report.stacks_collected, failed: hosts.filter((host) => host.error).length, ms: report.duration_ms }, 'collection done');
    return report;
  }

  async function pullHost(host: HostEntry, time: number, waitFor: AbortSignal): Promise<HostReport> {
    const previous = pulling.get(host);
    // A pull still waiting when its tick ended has just been refused its slot or buffer space and is
    // giving up: it holds nothing and asks for nothing more, so the host queues afresh, in this tick's order.
    if (previous !== undefined && !(previous.waiting && previous.waitFor.aborted)) return skipped(host, SKIPPED_STILL_RUNNING, 'previous_running');
    const pull: Pull = { waitFor, waiting: false };
    pulling.set(host, pull);
    try {
      return await slotThenCollect(host, time, pull);
    } finally {
      if (pulling.get(host) === pull) pulling.delete(host);
    }
  }

  async function slotThenCollect(host: HostEntry, time: number, pull: Pull): Promise<HostReport> {
    let releaseSlot;
    try {
      releaseSlot = await waitingFor(pull, slots.acquire(1, pull.waitFor));
    } catch {
      return skipped(host, SKIPPED_NO_SLOT, 'no_slot');
    }
    try {
      return await collectHost(host, time, pull);
    } finally {
      releaseSlot();
    }
  }

  async function collectHost(host: HostEntry, time: number, pull: Pull): Promise<HostReport> {
    const started = deps.clock();
    const done = (report: HostReport, outcome: PullOutcome, reason: PullReason): HostReport => {
      deps.metrics.hostPulled(host.name, outcome, reason, (deps.clock() - started) / 1000);
      return report;
    };
    const releases: Array<() => void> = [];
    let bufferWait: AbortSignal | undefined;
    try {
      let body: Buffer;
      await pullStarts.next();
      try {
        body = await fetchHostBody(host.url, {
          secret: deps.secret,
          timeoutMs: pullTimeoutMs(host.url, deps.timeoutMs),
          maxBodyBytes: deps.maxBodyBytes,
          signal: shutdown.signal,
          reserveBytes: async (bytes, exchange) => {
            try {
              bufferWait ??= AbortSignal.any([exchange, pull.waitFor]);
              releases.push(await waitingFor(pull, buffered.acquire(bytes, bufferWait)));
            } catch (error) {
              // The exchange's own end (timeout, shutdown) is fetchHostBody's to word.
              if (exchange.aborted) throw error;
              throw new HostFetchError(SKIPPED_NO_BUFFER_SPACE, 'no_buffer_space');
            }
          },
        });
      } catch (error) {
        if (!(error instanceof HostFetchError)) throw error;
        if (error.kind === 'no_buffer_space') return skipped(host, error.message, error.kind);
        return done(await recordFailure(deps, host.name, time, error.message), 'failed', error.kind);
      }
      const report = await storeSamplesBody(deps, host.name, time, body, unixSeconds(deps.clock));
      if (report.error !== null) return done(report, 'failed', 'rejected');
      deps.metrics.ingested('pull', report.samples, body.length);
      return done(report, 'ok', 'none');
    } finally {
      for (const release of releases) release();
    }
  }

  /** A skip is the collector's own limit, not the host's fault: logged at debug, counted, not recorded as the host's last error. */
  function skipped(host: HostEntry, reason: string, kind: PullReason): HostReport {
    deps.log.debug({ host: host.name, reason }, 'host skipped');
    deps.metrics.hostPulled(host.name, 'skipped', kind, 0);
    return failedReport(host.name, reason);
  }

  return {
    tick() {
      tickWaits.abort();
      tickWaits = new AbortController();
      return start('schedule', tickWaits.signal);
    },
    collect() {
      if (lastCompleted !== null && deps.clock() - lastCompleted.endedAt < MANUAL_COOLDOWN_MS) return Promise.resolve(lastCompleted.report);
      // A manual collection has no next tick: its hosts wait for a slot at most as long as a pull may take.
      return latest ?? start('manual', AbortSignal.timeout(deps.timeoutMs));
    },
    async close() {
      shutdown.abort();
      await Promise.allSettled(running);
    },
  };
}
