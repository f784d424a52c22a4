import { unixSeconds, type Clock } from '../clock.js';
import { HttpError } from '../http-error.js';
import type { Metrics } from '../operability/metrics.js';
import type { StackStore } from '../store/stack-store.js';
import type { HostLists } from './host-lists.js';
import { answerGivenAgain } from './meta-tail.js';
import { parseTimeRange, type TimeRange } from './query-params.js';
import type { QueryJob, QueryRoute } from './query-views.js';
import type { ViewAnswer } from './view-answer.js';

/**
 * The routes whose answers are kept: each is built from the samples of its
 * hosts inside one range, and nothing else but its parameters. (/timeline
 * also measures the collections before its range; /diff reads two ranges.)
 */
const KEPT_ROUTES: ReadonlySet<QueryRoute> = new Set(['profile', 'functions']);

/**
 * Hosts an answer may read and still be kept. Its key costs the main thread
 * two seeks a host (sampleSpan: 0.12 ms for one host, 6–7 ms for 64, at load
 * 17 on 2 cores), beside a job of some 8 ms of CPU for W2's 5 minutes: worth
 * it for a host or a small selector, not for a fleet's `_all`, which would
 * pay on the event loop before its answer was even looked for.
 */
export const MAX_KEYED_HOSTS = 16;

/**
 * `[store] answer_cache`'s default: some 300 five-minute answers of W2's
 * size (50 KB gzipped), or 40 whole trees of a fleet's day (400 KB as JSON).
 */
export const ANSWER_CACHE_BYTES = 16 * 1024 ** 2;

/** What an entry costs besides its body: the key, twice its length in a JS string, and the objects around them. */
const ENTRY_OVERHEAD_BYTES = 256;

/** Names the data an answer is built from: which request, which hosts, and which of their samples. */
export interface AnswerKey {
  key: string;
  /** The range the request asked for, in whole seconds. */
  range: TimeRange;
}

export interface AnswerKeyDeps {
  store: StackStore;
  hostLists: HostLists;
  /** The clock the store reads for retention. */
  clock: Clock;
}

/**
 * The key of `job`'s answer, or null when it is not kept (another route, a
 * request the worker will refuse, more than MAX_KEYED_HOSTS hosts). It holds
 * the route, the selector, the encoding and every parameter as given, the
 * hosts read with each one's store revision, and the first and last second
 * with samples inside the range: a relative range asked again a few seconds
 * later has the same key while no collection entered or left it and nothing
 * was written or forgotten. Two answers under one key were built
 * from the same samples by the same request, so differ only in the range
 * their meta names (see meta-tail.ts).
 */
export function answerKey(job: QueryJob, deps: AnswerKeyDeps): AnswerKey | null {
  if (!KEPT_ROUTES.has(job.route)) return null;
  const { store, hostLists, clock } = deps;
  let hosts: readonly string[];
  let range: TimeRange;
  try {
    hosts = hostLists.of(job.host);
    range = parseTimeRange(job.query, unixSeconds(() => job.nowMs));
  } catch (error) {
    // The worker gives the request its error.
    if (error instanceof HttpError) return null;
    throw error;
  }
  if (hosts.length > MAX_KEYED_HOSTS) return null;
  const revisions = hosts.map((host) => store.revision(host));
  const span = store.sampleSpan(hosts, range.from, range.until);
  // The store placed retention's horizon at its clock's second: the key holds for the job only if that was the job's.
  if (unixSeconds(clock) !== unixSeconds(() => job.nowMs)) return null;
  const params = Object.keys(job.query).sort().map((name) => [name, job.query[name]]);
  return { key: JSON.stringify([job.route, job.host, job.gzip, params, hosts, revisions, span]), range };
}

interface Entry {
  answer: ViewAnswer;
  /** The range it was asked for: an answer without a MetaTail is given again for that range only. */
  range: TimeRange;
  bytes: number;
}

/**
 * Finished answers by AnswerKey, at most `maxBytes` of them, the least
 * recently used dropped first. An entry whose samples changed is never
 * looked up again (its key named the old ones) and ages out. 0 bytes keeps
 * nothing.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly metrics: Pick<Metrics, 'answerLookedUp' | 'watchAnswerCache'>,
  ) {
    metrics.watchAnswerCache(() => ({ bytes: this.bytes, entries: this.entries.size }));
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The kept answer to `key`, for its range; undefined when there is none. */
  answer(key: AnswerKey): ViewAnswer | undefined {
    const entry = this.entries.get(key.key);
    const given = entry === undefined ? undefined : answerGivenAgain(entry.answer, entry.range, key.range);
    this.metrics.answerLookedUp(given !== undefined ? 'hit' : 'miss');
    if (entry === undefined || given === undefined) return undefined;
    // A Map iterates in insertion order: the most recently used go last, the first is the next to drop.
    this.entries.delete(key.key);
    this.entries.set(key.key, entry);
    return given;
  }

  /** Keeps `answer` under `key`, dropping the least recently used entries it needs the room of; one larger than the bound is not kept. */
  keep(key: AnswerKey, answer: ViewAnswer): void {
    this.drop(key.key);
    const bytes = answer.body.byteLength + key.key.length * 2 + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    for (const oldest of this.entries.keys()) {
      if (this.bytes + bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
    this.entries.set(key.key, { answer, range: key.range, bytes });
    this.bytes += bytes;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
