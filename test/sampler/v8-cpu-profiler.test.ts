import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuProfileToStacks } from '../../src/sampler/cpu-profile-to-stacks.js';
import { V8CpuProfiler } from '../../src/sampler/v8-cpu-profiler.js';
import { freshBusyFunction } from '../fixtures/sampler/busy-work.js';

type Profile = ReturnType<V8CpuProfiler['rotate']>;

/** Samples with `functionName` anywhere on the stack. */
function samplesOf(profile: Profile, functionName: string): number {
  let samples = 0;
  for (const [stack, count] of cpuProfileToStacks(profile, (site) => site.functionName)) {
    if (stack.split(';').includes(functionName)) samples += count;
  }
  return samples;
}

describe('V8CpuProfiler', () => {
  it('hands out each stretch of samples in exactly one profile when rotated', () => {
    const profiler = new V8CpuProfiler(1000);
    const [before, after] = [freshBusyFunction('beforeRotation'), freshBusyFunction('afterRotation')];
    try {
      before(100);
      const first = profiler.rotate();
      after(100);
      const second = profiler.rotate();

      assert.ok(samplesOf(first, 'beforeRotation') > 10);
      assert.equal(samplesOf(first, 'afterRotation'), 0);
      assert.ok(samplesOf(second, 'afterRotation') > 10);
      assert.equal(samplesOf(second, 'beforeRotation'), 0);
      assert.equal(second.samples?.length, second.timeDeltas?.length);
    } finally {
      profiler.stop();
    }
  });

  it('keeps sampling after many rotations', () => {
    const profiler = new V8CpuProfiler(1000);
    const work = freshBusyFunction('rotatedOften');
    try {
      for (let rotation = 0; rotation < 50; rotation++) {
        work(2);
        const profile = profiler.rotate();
        assert.equal(profile.samples?.length, profile.timeDeltas?.length);
      }
      work(100);
      assert.ok(samplesOf(profiler.rotate(), 'rotatedOften') > 10);
    } finally {
      profiler.stop();
    }
  });

  it('lets two profilers sample the same thread side by side', () => {
    const one = new V8CpuProfiler(1000);
    const two = new V8CpuProfiler(1000);
    const work = freshBusyFunction('sampledTwice');
    try {
      work(60);
      assert.ok(samplesOf(one.rotate(), 'sampledTwice') > 5);
      assert.ok(samplesOf(two.rotate(), 'sampledTwice') > 5);
    } finally {
      one.stop();
      two.stop();
    }
  });
});
