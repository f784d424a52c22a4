/**
 * A worker thread answering query jobs (see query-pool.ts): it opens the
 * store folder itself (lmdb shares one environment between the threads of a
 * process), only ever reads it, and hands back the finished answer bytes.
 */
import { setPriority } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { HttpError } from '../http-error.js';
import { collectGarbage } from '../operability/collect-garbage.js';
import { NodeArrays } from '../profile/node-arrays.js';
import { StackShapes } from '../profile/stack-trie.js';
import { openStackStore } from '../store/lmdb-stack-store.js';
import type { QueryReply, QueryRequest, QueryWorkerData, QueryWorkerStop } from './query-pool.js';
import { withMetaTail } from './meta-tail.js';
import { answerQuery } from './query-views.js';
import { gzipAnswer } from './view-answer.js';

/**
 * This thread's nice value: when cores are short, the main thread (collection,
 * /hosts, sending answers) gets them first and queries take what is left.
 * Linux keeps a nice value per thread (pid 0 here is this thread); elsewhere
 * it would renice the whole process, so there the worker is left as it is.
 */
const QUERY_NICENESS = 10;
if (process.platform === 'linux') setPriority(0, QUERY_NICENESS);

/**
 * Array-buffer bytes finished jobs may leave behind before this thread
 * collects its young generation. A query's node-indexed arrays (several MB
 * each over a fleet's shapes) are garbage once its answer is sent, but V8
 * collects for buffers only some 64 MB past its last collection, which then
 * sits in the process's peak resident memory; a short job's buffers are
 * still young, and collected right after its answer is sent (a millisecond
 * or so) they cost the next job nothing.
 */
const COLLECT_AFTER_BUFFER_BYTES = 4 * 1024 * 1024;

let buffersAfterCollection = process.memoryUsage().arrayBuffers;

/**
 * Collects the young generation once the last jobs' buffers add up to
 * COLLECT_AFTER_BUFFER_BYTES. Never the whole heap between jobs: over W3's
 * shapes (850,000 nodes) a long job's promoted buffers made that a
 * collection per /profile/_all, which took its server CPU from 168 to 234 ms
 * and a one-host day's from 48 to 110 ms (alternated runs); what they leave
 * is collected by V8 on its own in a burst, and by collectWhenIdle after it,
 * for some 15 MB more at the peak (W2+W3 peak RSS 245 -> 260 MB, medians of
 * four alternated bench runs).
 */
function collectLeftBuffers(): void {
  if (process.memoryUsage().arrayBuffers - buffersAfterCollection < COLLECT_AFTER_BUFFER_BYTES) return;
  collectGarbage({ type: 'minor' });
  buffersAfterCollection = process.memoryUsage().arrayBuffers;
}

/**
 * How long the thread waits without a job before collecting its whole heap
 * once. V8 grows a heap to several times what is live between collections
 * and gives the pages back only from its memory reducer, which runs when a
 * process idles; this server never idles (the main thread collects every
 * few seconds), so the query worker does what the reducer would, after its
 * last job rather than between two of a burst.
 */
const IDLE_COLLECT_MS = 1_500;
let idleCollection: NodeJS.Timeout | undefined;

/**
 * Growth of the old generation since the last whole-heap collection below
 * which an idle thread does not collect. A whole-heap collection costs the
 * next query more than it saves when little was left behind: V8 then drops
 * the optimised code of closures made per query and of loops compiled while
 * they ran (on-stack replacement), and compiles it all again; the W2
 * 5-minute /profile after a 2.5 s pause took 57 ms of server CPU against 11
 * warm, and 11 without that collection, which over W2 and W3 had freed less
 * than 1 MB of the thread's 11 MB heap each time (a query's node-indexed
 * arrays are buffers, which collectLeftBuffers frees). A query that learns
 * many shapes, or many that each promote a little, pass it.
 */
const IDLE_COLLECT_GROWTH = 8 * 1024 * 1024;

/** Bytes the heap's spaces other than the young generation hold. */
function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) if (!space.space_name.startsWith('new_')) bytes += space.space_used_size;
  return bytes;
}
let oldGenerationAfterCollection = oldGenerationBytes();

/**
 * Collects the whole heap once the thread has been idle IDLE_COLLECT_MS, if
 * the old generation grew by IDLE_COLLECT_GROWTH since the last time; a new
 * job cancels it.
 */
function collectWhenIdle(): void {
  if (oldGenerationBytes() - oldGenerationAfterCollection < IDLE_COLLECT_GROWTH) return;
  idleCollection = setTimeout(() => {
    idleCollection = undefined;
    const heapUsedBefore = process.memoryUsage().heapUsed;
    collectGarbage();
    oldGenerationAfterCollection = oldGenerationBytes();
    buffersAfterCollection = process.memoryUsage().arrayBuffers;
    port.postMessage({ idleCollected: { heapUsedBefore, heapUsed: process.memoryUsage().heapUsed } } satisfies QueryReply);
  }, IDLE_COLLECT_MS);
  // Never what keeps the thread alive once its port is closed.
  idleCollection.unref();
}

/**
 * Detaches one small buffer, before any query's code is optimised. V8
 * compiles typed-array reads and writes without a check for a detached
 * buffer until its thread first detaches one, and then throws away every
 * function it compiled so far. Each answer's bytes are transferred to the
 * main thread, which detaches them: the first answer's transfer discarded
 * all the optimised reading, pruning and writing it had just compiled (some
 * 30 functions, a few of them 30-110 ms of compiling each), compiled again
 * over the next answers.
 */
function detachABuffer(): void {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
}
detachABuffer();

const port = parentPort!;
const { dbpath, retentionSeconds, configuredHosts, stackCacheChars } = workerData as QueryWorkerData;
/** The clock reading the current job arrived with: the store reads it for retention. */
let jobNowMs = 0;
const store = openStackStore({ path: dbpath, retentionSeconds, clock: () => jobNowMs, maintenanceIntervalMs: 0, stackCacheChars });
/** The node-indexed arrays of every job, lent and reclaimed after its answer (see NodeArrays). */
const nodeArrays = new NodeArrays();
const deps = { store, shapes: new StackShapes(nodeArrays), configuredHosts };
port.postMessage({ ready: true } satisfies QueryReply);

port.on('message', (message: QueryRequest | QueryWorkerStop) => {
  clearTimeout(idleCollection);
  if ('stop' in message) {
    // Nothing else keeps the thread alive: once the store is closed and the port with it, the thread ends.
    void store.close().finally(() => port.close());
    return;
  }
  const { id, job } = message;
  jobNowMs = job.nowMs;
  let reply: QueryReply;
  try {
    // The job was sent after the writes its client saw: read them, not this thread's last snapshot.
    store.readLatest();
    const built = answerQuery(job, deps);
    const answer = job.keep === true ? withMetaTail(built, job.gzip) : job.gzip ? gzipAnswer(built) : built;
    const body = ownedBytes(answer.body);
    reply = { id, answer: { ...answer, body } };
    port.postMessage(reply, [body.buffer as ArrayBuffer]);
    collectLeftBuffers();
  } catch (error) {
    reply = error instanceof HttpError
      ? { id, refused: { status: error.status, message: error.message } }
      : { id, failed: { message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack } };
    port.postMessage(reply);
  }
  // The answer went as bytes of its own: nothing made from the job's node arrays is used past here.
  nodeArrays.reclaim();
  collectWhenIdle();
});

/** `bytes` in a buffer of their own, which can be transferred rather than copied across (a slice of a shared pool cannot). */
function ownedBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : bytes.slice();
}
