import { getHeapStatistics } from 'node:v8';
import { collectGarbage } from './collect-garbage.js';

/**
 * How far a thread's heap may grow past what the last whole collection left
 * before collectIfHeapGrew collects it: twice that, plus this slack (a young
 * generation's worth, which fills and empties on its own). V8 lets the heap
 * of a thread that allocates fast grow to some four times what is live
 * before its own whole collection, and gives pages back only when the
 * process idles, which a collecting server never does: in the memory bench
 * the writer's heap swung between 94 and 313 MB over 45 MB live.
 */
const GROWTH_FACTOR = 2;
const GROWTH_SLACK_BYTES = 32 * 1024 * 1024;

let usedAfterCollection = getHeapStatistics().used_heap_size;

/** A collection collectIfHeapGrew made: heap bytes in use before and after, and how long it took. */
export interface HeapCollection {
  heapUsedBefore: number;
  heapUsed: number;
  ms: number;
}

/**
 * Collects this thread's whole heap when it holds more than GROWTH_FACTOR
 * times what the last such collection left, plus GROWTH_SLACK_BYTES. For a
 * thread's periodic work (the store's maintenance), not for a path taken per
 * request: a whole collection also discards optimised code whose embedded
 * objects died (see query-worker.ts).
 */
export function collectIfHeapGrew(): HeapCollection | null {
  const heapUsedBefore = getHeapStatistics().used_heap_size;
  if (heapUsedBefore <= usedAfterCollection * GROWTH_FACTOR + GROWTH_SLACK_BYTES) return null;
  const started = performance.now();
  collectGarbage();
  usedAfterCollection = getHeapStatistics().used_heap_size;
  return { heapUsedBefore, heapUsed: usedAfterCollection, ms: performance.now() - started };
}
