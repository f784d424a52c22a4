import { compareNames } from './flame-tree.js';
import type { StackCounts } from './stack-counts.js';

/**
 * FlameGraph's collapsed ("folded") format: one `frame;frame count` line per
 * stack, sorted, newline-terminated; stacks with no samples are left out.
 * The format the collector's folded importer reads back.
 */
export function stackCountsToFolded(stacks: StackCounts): string {
  const lines: string[] = [];
  for (const [stack, count] of stacks) if (count > 0) lines.push(`${stack} ${count}`);
  lines.sort(compareNames);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
