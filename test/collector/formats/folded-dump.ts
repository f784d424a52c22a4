import type { StackCounts } from '../../../src/profile/stack-counts.js';

/** Stacks as sorted folded lines, so a failing test shows the difference at a glance. */
export function foldedDump(stacks: StackCounts): string {
  return [...stacks].map(([stack, count]) => `${stack} ${count}`).sort().join('\n');
}

export function fixture(relativePath: string): string {
  return new URL(`../../fixtures/${relativePath}`, import.meta.url).pathname;
}
