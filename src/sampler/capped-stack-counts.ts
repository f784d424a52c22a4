import { addSamples, type StackCounts } from '../profile/stack-counts.js';

/** Where samples of stacks beyond the cap are counted, so totals stay exact. */
export const OTHER_STACKS = '(other stacks)';

/**
 * Adds `more` into `kept` while keeping at most `maxStacks` distinct stacks
 * (plus OTHER_STACKS): memory stays bounded however long nobody reads. Stacks
 * already kept keep counting; new ones beyond the cap go to OTHER_STACKS.
 */
export function addCapped(kept: StackCounts, more: StackCounts, maxStacks: number): void {
  for (const [stack, count] of more) {
    const fits = kept.has(stack) || distinctStacks(kept) < maxStacks;
    addSamples(kept, fits ? stack : OTHER_STACKS, count);
  }
}

function distinctStacks(counts: StackCounts): number {
  return counts.size - (counts.has(OTHER_STACKS) ? 1 : 0);
}
