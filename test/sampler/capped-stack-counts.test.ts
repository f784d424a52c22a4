import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { totalSamples, type StackCounts } from '../../src/profile/stack-counts.js';
import { addCapped, OTHER_STACKS } from '../../src/sampler/capped-stack-counts.js';
import { cpuProfileToStacks, type CpuProfile, type CpuProfileNode } from '../../src/sampler/cpu-profile-to-stacks.js';

/** A V8-shaped profile with one sample per entry of `sampledStacks` (frame names, root first). */
function profileOf(sampledStacks: string[][]): CpuProfile {
  const root: CpuProfileNode = { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [] };
  const nodes = [root];
  const idOfPath = new Map<string, CpuProfileNode>();
  const samples: number[] = [];
  for (const frames of sampledStacks) {
    let parent = root;
    for (let depth = 1; depth <= frames.length; depth++) {
      const path = frames.slice(0, depth).join('\n');
      let child = idOfPath.get(path);
      if (child === undefined) {
        child = { id: nodes.length + 1, callFrame: { functionName: frames[depth - 1], url: '', lineNumber: -1, columnNumber: -1 }, children: [] };
        nodes.push(child);
        parent.children?.push(child.id);
        idOfPath.set(path, child);
      }
      parent = child;
    }
    samples.push(parent.id);
  }
  return { nodes, samples, timeDeltas: samples.map(() => 1000) };
}

const byName = (site: { functionName: string }) => site.functionName;

describe('addCapped', () => {
  it('adds every stack while there is room', () => {
    const kept: StackCounts = new Map([['a', 1]]);
    addCapped(kept, new Map([['a', 2], ['b', 3]]), 2);
    assert.deepEqual(Object.fromEntries(kept), { a: 3, b: 3 });
  });

  it('counts stacks beyond the cap under one explicit frame, and keeps counting kept ones', () => {
    const kept: StackCounts = new Map([['a', 1], ['b', 1]]);
    addCapped(kept, new Map([['c', 4], ['a', 2], ['d', 5]]), 2);
    assert.deepEqual(Object.fromEntries(kept), { a: 3, b: 1, [OTHER_STACKS]: 9 });
  });

  it('stays within the cap and exact over many rotations of many distinct stacks nobody reads', () => {
    const maxStacks = 100;
    const kept: StackCounts = new Map();
    let sampled = 0;
    const firstSeen: string[] = [];
    for (let rotation = 0; rotation < 300; rotation++) {
      // 40 stacks per rotation, half of them new each time: 6 000 distinct stacks in all.
      const stacks = Array.from({ length: 40 }, (_, i) => {
        const n = rotation * 20 + i;
        return ['serve', `route${n % 7}`, `handler${n}`];
      });
      const sampledStacks = stacks.flatMap((stack, i) => Array.from({ length: 1 + (i % 3) }, () => stack));
      sampled += sampledStacks.length;
      const counts = cpuProfileToStacks(profileOf(sampledStacks), byName);
      for (const stack of counts.keys()) if (!firstSeen.includes(stack)) firstSeen.push(stack);
      addCapped(kept, counts, maxStacks);

      assert.ok(kept.size <= maxStacks + 1, `rotation ${rotation}: ${kept.size} entries`);
      assert.equal(totalSamples(kept), sampled, `rotation ${rotation}: totals stay exact`);
    }
    assert.deepEqual([...kept.keys()].filter((stack) => stack !== OTHER_STACKS).sort(), firstSeen.slice(0, maxStacks).sort());
    assert.ok((kept.get(OTHER_STACKS) ?? 0) > 0);
  });
});
