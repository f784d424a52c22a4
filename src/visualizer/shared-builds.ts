import { setImmediate as nextTurn } from 'node:timers/promises';
import { unixSeconds } from '../clock.js';
import { HttpError } from '../http-error.js';
import type { Metrics } from '../operability/metrics.js';
import type { AnswerKeyDeps } from './answer-cache.js';
import { answerGivenAgain } from './meta-tail.js';
import type { TimeRange } from './query-params.js';
import type { QueryJob } from './query-views.js';
import type { ViewAnswer } from './view-answer.js';

/**
 * Names what a query's answer is built from: requests under one key while
 * its build is under way get that build's answer. An AnswerKey holds across
 * seconds (its answer is given again for each request's range, as a kept one
 * is); a SameSecondKey has no range, as it names the second itself.
 */
export interface BuildKey {
  key: string;
  /** The range the request asked for, when the key holds across seconds; null when every request under the key asked the same. */
  range: TimeRange | null;
}

/**
 * The key of `job`'s build where no AnswerKey names it (kept answers off,
 * more hosts than are keyed, /diff, /timeline): the request as it came (the
 * route, the selector, the encoding, every parameter), the second it was
 * asked in, and the hosts it reads with each one's store revision. Two jobs
 * under it resolve the same range and retention horizon and read the same
 * samples, so get the same bytes; the hosts' seeks that let an AnswerKey
 * span seconds are not paid. Null when the selector is refused (the worker
 * answers it).
 */
export function sameSecondKey(job: QueryJob, deps: Omit<AnswerKeyDeps, 'clock'>): BuildKey | null {
  let hosts: readonly string[];
  try {
    hosts = deps.hostLists.of(job.host);
  } catch (error) {
    if (error instanceof HttpError) return null;
    throw error;
  }
  const params = Object.keys(job.query).sort().map((name) => [name, job.query[name]]);
  const revisions = hosts.map((host) => deps.store.revision(host));
  return { key: JSON.stringify([job.route, job.host, job.gzip, params, unixSeconds(() => job.nowMs), hosts, revisions]), range: null };
}

/** Begins the build of an answer: `signal` aborts once every request waiting for it has gone; `started` is called as it begins to read. */
export type StartBuild = (signal: AbortSignal, started: () => void) => Promise<ViewAnswer>;

/**
 * Requests one build answers at most: more wait for a build of their own.
 * Each holds only its response while it waits; the bound keeps a burst of
 * identical asks from waiting without limit where the query queue
 * ([server] query_queue) would have refused them.
 */
export const MAX_WAITERS_PER_BUILD = 64;

export interface SharedBuildsOptions {
  /**
   * Whether a build that has begun reading may still be joined. Only where
   * the store's revisions see every write (the process that writes): then a
   * request's key names no write after the build's read began. A read-only
   * server joins only builds still queued, whose read comes after the join.
   */
  joinStarted: boolean;
  metrics: Pick<Metrics, 'queryJoined'>;
}

interface Build {
  answer: Promise<ViewAnswer>;
  /** The range its first request asked for (see BuildKey). */
  range: TimeRange | null;
  waiters: number;
  /** Requests handed its answer so far, and when the next may be (see wait). */
  handedOut: number;
  nextHandOut: Promise<void>;
  /** Whether its job has gone to a worker. */
  started(): boolean;
  stop: AbortController;
}

/**
 * Identical query requests asked while the first is being built share its
 * build: ten people opening one dashboard cost one query worker's time, not
 * ten. At most one joinable build a key, each with at most
 * MAX_WAITERS_PER_BUILD requests; builds under way are bounded by the query
 * pool that runs them. Nothing is kept once a build ends: a failed one fails
 * each of its requests with its error, and the next request builds afresh.
 */
export class SharedBuilds {
  private readonly builds = new Map<string, Build>();

  constructor(private readonly options: SharedBuildsOptions) {}

  /**
   * The answer to the request named by `key`, from the build under way under
   * it when that may be joined, else from one `start` begins. Undefined when
   * there is nothing to send from it: the request's client went (`gone`
   * aborted; the build goes on for the others, and is stopped when the last
   * goes), or the answer cannot be given for the request's range.
   */
  answer(key: BuildKey, start: StartBuild, gone: AbortSignal): Promise<ViewAnswer | undefined> {
    let build = this.builds.get(key.key);
    if (build !== undefined && this.joinable(build)) this.options.metrics.queryJoined();
    else build = this.begin(key, start);
    return this.wait(key, build, gone);
  }

  private joinable(build: Build): boolean {
    return build.waiters < MAX_WAITERS_PER_BUILD && (this.options.joinStarted || !build.started());
  }

  /** A new build under `key`, taking the place of one that may no longer be joined (which goes on for its own requests). */
  private begin(key: BuildKey, start: StartBuild): Build {
    const stop = new AbortController();
    // The pool may give the job to an idle worker before `start` returns.
    let started = false;
    const answer = start(stop.signal, () => (started = true));
    const build: Build = { answer, range: key.range, waiters: 0, handedOut: 0, nextHandOut: Promise.resolve(), started: () => started, stop };
    this.builds.set(key.key, build);
    const ended = () => this.forget(key, build);
    build.answer.then(ended, ended);
    return build;
  }

  private forget(key: BuildKey, build: Build): void {
    if (this.builds.get(key.key) === build) this.builds.delete(key.key);
  }

  private wait(key: BuildKey, build: Build, gone: AbortSignal): Promise<ViewAnswer | undefined> {
    build.waiters++;
    return new Promise<ViewAnswer | undefined>((resolve, reject) => {
      const leave = () => {
        resolve(undefined);
        if (--build.waiters > 0) return;
        this.forget(key, build);
        build.stop.abort();
      };
      gone.addEventListener('abort', leave, { once: true });
      build.answer.then(
        (answer) => {
          const handOut = () => {
            gone.removeEventListener('abort', leave);
            resolve(build.range === null || key.range === null ? answer : answerGivenAgain(answer, build.range, key.range));
          };
          // One request a turn of the event loop: sending ten answers (their
          // meta rewritten, headers, the write) in the turn the build ended
          // held /hosts and collection's replies behind all of them.
          if (build.handedOut++ === 0) return handOut();
          build.nextHandOut = build.nextHandOut.then(() => nextTurn()).then(handOut);
        },
        (error: unknown) => {
          gone.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }
}
