import { toPrintable } from '../printable-text.js';

/**
 * Samples per distinct stack. A stack is its frames, root first, joined by
 * ';' (the folded-stacks convention every importer and the store share).
 */
export type StackCounts = Map<string, number>;

/**
 * The most samples one stack may have in one collection: far above any real
 * sampler's count, and low enough that sums over millions of collections
 * stay exact integers (below 2^53).
 */
export const MAX_SAMPLE_COUNT = 2 ** 32;

/** Adds `count` samples of `stack` to `counts`, the one way counts are merged. */
export function addSamples(counts: StackCounts, stack: string, count: number): void {
  counts.set(stack, (counts.get(stack) ?? 0) + count);
}

export function totalSamples(counts: StackCounts): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/**
 * ';' separates frames, a line break ends a folded-text line, and the
 * collector refuses a body with control or bidi characters in a frame: none
 * of them may occur inside one frame.
 */
export function foldSafeFrame(frame: string): string {
  return toPrintable(frame.replaceAll(';', ','));
}
