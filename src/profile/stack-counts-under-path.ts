import type { StackCounts } from './stack-counts.js';

/**
 * The stacks that pass through the node at `frames` (root first): the
 * samples under that node, as whole stacks from the root. No frames: all.
 */
export function stackCountsUnderPath(stacks: StackCounts, frames: readonly string[]): StackCounts {
  if (frames.length === 0) return stacks;
  const prefix = frames.join(';');
  const result: StackCounts = new Map();
  for (const [stack, count] of stacks) {
    // Whole frames only: "a;b" is under a;b, and so is "a;b;c", but "a;bc" is not.
    if (stack.startsWith(prefix) && (stack.length === prefix.length || stack[prefix.length] === ';')) result.set(stack, count);
  }
  return result;
}
