import { compareNames } from './flame-tree.js';
import type { StackCounts } from './stack-counts.js';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

/** speedscope's file format, the subset we write: one sampled profile over shared frames. */
export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA;
  name: string;
  exporter: string;
  activeProfileIndex: 0;
  shared: { frames: Array<{ name: string }> };
  profiles: [SpeedscopeSampledProfile];
}

export interface SpeedscopeSampledProfile {
  type: 'sampled';
  name: string;
  unit: 'none';
  startValue: 0;
  endValue: number;
  /** Per distinct stack, indexes into shared.frames, root first. */
  samples: number[][];
  weights: number[];
}

/**
 * A speedscope file of `stacks` (one weighted sample per distinct stack, in
 * stack order; weights are sample counts, unit "none"), frames numbered in
 * order of first appearance.
 */
export function stackCountsToSpeedscope(stacks: StackCounts, name: string): SpeedscopeFile {
  const frameIndex = new Map<string, number>();
  const frames: Array<{ name: string }> = [];
  const samples: number[][] = [];
  const weights: number[] = [];
  let total = 0;
  const sortedStacks = [...stacks].filter(([, count]) => count > 0).sort(([a], [b]) => compareNames(a, b));
  for (const [stack, count] of sortedStacks) {
    samples.push(
      stack.split(';').map((frame) => {
        let index = frameIndex.get(frame);
        if (index === undefined) {
          frameIndex.set(frame, (index = frames.length));
          frames.push({ name: frame });
        }
        return index;
      }),
    );
    weights.push(count);
    total += count;
  }
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    name,
    exporter: 'liveprofiler',
    activeProfileIndex: 0,
    shared: { frames },
    profiles: [{ type: 'sampled', name, unit: 'none', startValue: 0, endValue: total, samples, weights }],
  };
}
