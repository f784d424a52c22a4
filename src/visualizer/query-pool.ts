import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { HttpError } from '../http-error.js';
import type { Logger } from '../log.js';
import type { Metrics, QueryOutcome } from '../operability/metrics.js';
import type { QueryJob } from './query-views.js';
import type { ViewAnswer } from './view-answer.js';

/**
 * Query routes answered off the event loop: a few worker threads, each
 * reading the store itself and building a whole answer at a time, so the
 * main thread only parses requests, collects and sends. A slow query costs
 * its worker's time, never the collector's ticks or a /hosts answer.
 *
 * Bounded: at most `size` jobs run and `maxQueued` wait; one more is refused
 * at once (503, Retry-After), and a job not answered within `timeoutMs` of
 * its arrival gets a 503 (its worker, if it was running it, is stopped and
 * replaced, as nothing else interrupts synchronous work). A worker that dies
 * (out of memory, a crash) fails only the job it was running, with a 500
 * naming the reason; the next job gets a new worker.
 */
export interface QueryPoolOptions {
  worker: QueryWorkerData;
  /** Jobs answered at once, one per worker thread. */
  size: number;
  /** Jobs waiting for a worker before more are refused. */
  maxQueued: number;
  /** Longest a job may take from its arrival to its answer. */
  timeoutMs: number;
  /** Old-generation heap limit of each worker (MB); default V8's own. */
  maxHeapMb?: number;
  log: Logger;
  metrics: Pick<Metrics, 'queryStarted' | 'queryEnded' | 'watchQueryPool'>;
}

/** What every worker needs to open the store as the main thread did. */
export interface QueryWorkerData {
  dbpath: string;
  retentionSeconds: number;
  configuredHosts: readonly string[];
  /** `[store] stack_cache`: each worker's own string <-> id cache is bounded as the main thread's. */
  stackCacheChars: number;
}

/** Main thread to worker. */
export interface QueryRequest {
  id: number;
  job: QueryJob;
}

/** Main thread to worker, at shutdown: close the store and end the thread. */
export interface QueryWorkerStop {
  stop: true;
}

/**
 * Young generation of each worker (MB). V8 sizes it by the machine's memory
 * (48 MB here), and a query's objects die young: a smaller one is collected
 * more often but keeps that much less memory resident.
 */
const QUERY_YOUNG_GENERATION_MB = 12;

/** How long a worker may take to close its store and end before it is terminated. */
const WORKER_STOP_MS = 5_000;

/** Worker to main thread: that it opened the store; then per job the answer, the HttpError the request deserves, or a failure of its own; after jobs, that it collected while idle. */
export type QueryReply =
  | { ready: true }
  /** After a job, once idle a while: it collected its whole heap, V8's heapUsed going from `heapUsedBefore` to `heapUsed`. */
  | { idleCollected: { heapUsedBefore: number; heapUsed: number } }
  | { id: number; answer: ViewAnswer }
  | { id: number; refused: { status: number; message: string } }
  | { id: number; failed: { message: string; stack?: string } };

/** What a refused client is told to wait before asking again: about one query's time on a loaded pool. */
const RETRY_AFTER_SECONDS = 2;

/** The worker script beside this module: .js in dist/, .ts when src/ runs through tsx (the tests). */
const WORKER_SCRIPT = new URL(`./query-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * A thread running `script`. Node 20 gives a worker thread the parent's
 * --import flags but not the loader hooks they register, so a .ts script
 * (never deployed: dist/ holds .js) is loaded through tsx's API.
 */
export function startThread(script: URL, options: WorkerOptions): Worker {
  if (script.pathname.endsWith('.js')) return new Worker(script, options);
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(load, { ...options, eval: true });
}

interface Job {
  id: number;
  job: QueryJob;
  /** performance.now() at its arrival. */
  arrivedAt: number;
  resolve(answer: ViewAnswer): void;
  reject(error: Error): void;
  /** Called as it goes to a worker. */
  started?: () => void;
  timer: NodeJS.Timeout;
  settled: boolean;
}

interface Slot {
  worker: Worker | null;
  /** The job its worker is answering. */
  running: Job | null;
}

export class QueryPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: QueryPoolOptions) {
    if (!(Number.isSafeInteger(options.size) && options.size >= 1)) throw new RangeError(`size must be a whole number of at least 1, got ${options.size}`);
    // Started now, so the first queries do not wait for a thread to boot.
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, running: null }));
    for (const slot of this.slots) this.startWorker(slot);
    options.metrics.watchQueryPool(() => ({
      queued: this.queue.length,
      running: this.slots.filter((slot) => slot.running !== null).length,
    }));
  }

  /**
   * Answers `job` on a worker. Rejects with an HttpError: the job's own
   * (400, 404…), 503 when the queue is full (with Retry-After), timed out or
   * shutting down, 500 when its worker died; with a plain Error when the
   * worker's code threw one (a bug: the error handler logs it). A job whose
   * `signal` aborts while it waits is dropped: nobody is left to answer.
   * `started` is called when a worker takes the job, before it reads anything.
   */
  run(job: QueryJob, signal?: AbortSignal, started?: () => void): Promise<ViewAnswer> {
    if (this.closed) {
      this.options.metrics.queryEnded('shutdown');
      return Promise.reject(new HttpError(503, 'shutting down'));
    }
    if (this.queue.length >= this.options.maxQueued && this.slots.every((slot) => slot.running !== null)) {
      this.options.metrics.queryEnded('busy');
      return Promise.reject(
        new HttpError(503, `busy: ${this.options.maxQueued} queries are already waiting ([server] query_queue); retry in ${RETRY_AFTER_SECONDS} s`, {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        }),
      );
    }
    return new Promise<ViewAnswer>((resolve, reject) => {
      const pending: Job = {
        id: this.nextId++,
        job,
        arrivedAt: performance.now(),
        resolve,
        reject,
        started,
        settled: false,
        timer: setTimeout(() => this.timedOut(pending), this.options.timeoutMs),
      };
      signal?.addEventListener('abort', () => this.abandoned(pending), { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Refuses new jobs, fails the waiting and running ones (503) and stops every worker. Call once the HTTP server has drained. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) this.settle(pending, 'shutdown', new HttpError(503, 'shutting down'));
    const stopping: Array<Promise<void>> = [];
    for (const slot of this.slots) {
      if (slot.running !== null) this.settle(slot.running, 'shutdown', new HttpError(503, 'shutting down'));
      slot.running = null;
      if (slot.worker !== null) stopping.push(stopWorker(slot.worker));
      slot.worker = null;
    }
    await Promise.all(stopping);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.running !== null) continue;
      const pending = this.queue.shift()!;
      const worker = slot.worker ?? this.startWorker(slot);
      slot.running = pending;
      this.options.metrics.queryStarted((performance.now() - pending.arrivedAt) / 1000);
      const request: QueryRequest = { id: pending.id, job: pending.job };
      worker.postMessage(request);
      pending.started?.();
    }
  }

  private startWorker(slot: Slot): Worker {
    const { maxHeapMb } = this.options;
    const worker = startThread(WORKER_SCRIPT, {
      workerData: this.options.worker,
      resourceLimits: { maxYoungGenerationSizeMb: QUERY_YOUNG_GENERATION_MB, ...(maxHeapMb !== undefined ? { maxOldGenerationSizeMb: maxHeapMb } : {}) },
    });
    slot.worker = worker;
    let failure: Error | undefined;
    worker.on('message', (reply: QueryReply) => this.replied(slot, reply));
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => {
      // A worker this pool stopped (timeout, shutdown) was already replaced in its slot.
      if (slot.worker !== worker) return;
      const reason = failure === undefined ? `exited with code ${code}` : describeFailure(failure, this.options.maxHeapMb);
      this.options.log.error({ reason, route: slot.running?.job.route, host: slot.running?.job.host }, 'query worker died');
      slot.worker = null;
      if (slot.running !== null) this.settle(slot.running, 'worker_died', new HttpError(500, `the query's worker thread died: ${reason}`));
      slot.running = null;
      this.dispatch();
    });
    return worker;
  }

  private replied(slot: Slot, reply: QueryReply): void {
    if ('ready' in reply) {
      this.options.log.debug({ thread: slot.worker?.threadId }, 'query worker ready');
      return;
    }
    if ('idleCollected' in reply) {
      this.options.log.debug({ thread: slot.worker?.threadId, ...reply.idleCollected }, 'query worker collected its heap while idle');
      return;
    }
    const pending = slot.running;
    if (pending === null || pending.id !== reply.id) return;
    slot.running = null;
    if ('answer' in reply) this.settle(pending, 'answered', null, reply.answer);
    else if ('refused' in reply) this.settle(pending, 'refused', new HttpError(reply.refused.status, reply.refused.message));
    else this.settle(pending, 'failed', Object.assign(new Error(reply.failed.message), { stack: reply.failed.stack }));
    this.dispatch();
  }

  private timedOut(pending: Job): void {
    const seconds = this.options.timeoutMs / 1000;
    const error = new HttpError(503, `query: not answered within ${seconds} s ([server] query_timeout); ask for a shorter range or fewer hosts`);
    const slot = this.slots.find((candidate) => candidate.running === pending);
    if (slot === undefined) {
      this.dropQueued(pending, 'timeout', error);
      return;
    }
    // Synchronous work cannot be interrupted: the worker goes, a new one takes its slot.
    void slot.worker?.terminate();
    slot.worker = null;
    slot.running = null;
    this.options.log.warn({ route: pending.job.route, host: pending.job.host, timeoutMs: this.options.timeoutMs }, 'query timed out; its worker was replaced');
    this.settle(pending, 'timeout', error);
    if (!this.closed) this.startWorker(slot);
    this.dispatch();
  }

  private abandoned(pending: Job): void {
    this.dropQueued(pending, 'abandoned', new Error('the client went away'));
  }

  private dropQueued(pending: Job, outcome: QueryOutcome, error: Error): void {
    const index = this.queue.indexOf(pending);
    if (index === -1) return;
    this.queue.splice(index, 1);
    this.settle(pending, outcome, error);
  }

  private settle(pending: Job, outcome: QueryOutcome, error: Error | null, answer?: ViewAnswer): void {
    if (pending.settled) return;
    pending.settled = true;
    this.options.metrics.queryEnded(outcome);
    clearTimeout(pending.timer);
    if (error === null) pending.resolve(answer!);
    else pending.reject(error);
  }
}

function describeFailure(error: Error, maxHeapMb: number | undefined): string {
  if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `out of memory${maxHeapMb !== undefined ? ` (more than [server] query_memory, ${maxHeapMb} MB)` : ''}`;
  }
  return error.message;
}

/**
 * Asks `worker` to close its store and end, and resolves once it has; one
 * that does not within WORKER_STOP_MS is terminated. A worker ended while
 * its lmdb handle is open leaves lmdb's per-thread cleanup to run beside the
 * main thread closing the same environment, which a shutdown should not risk.
 */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => void worker.terminate(), WORKER_STOP_MS);
    worker.once('exit', () => {
      clearTimeout(deadline);
      resolve();
    });
    worker.postMessage({ stop: true } satisfies QueryWorkerStop);
  });
}
