import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { majorWork, minorWork } from '../fixtures/sampler/busy-work.js';
import { busyWorkFile, declarationLine, repositoryRoot } from '../fixtures/sampler/source-lines.js';
import { readSamples, samplesIn, serveSampler } from './serve-sampler.js';

const secret = 'attribution-secret';

describe('sampler attribution', async () => {
  // A short rotation, so the answer is folded from several V8 profiles.
  const { origin, sampler } = await serveSampler({ secret, intervalSeconds: 0.002, rotateSeconds: 0.25, root: repositoryRoot });

  it('attributes CPU time to the functions that spent it, in proportion', async () => {
    await readSamples(origin, secret);
    // 1:3 in alternating slices over 1.5 s, yielding between slices so the rotation timer runs.
    for (let slice = 0; slice < 25; slice++) {
      minorWork(15);
      majorWork(45);
      await nextTurn();
    }
    const payload = await readSamples(origin, secret);

    const minor = samplesIn(payload, 'minorWork');
    const major = samplesIn(payload, 'majorWork');
    assert.ok(minor > 20, `minorWork has ${minor} samples`);
    const ratio = major / minor;
    assert.ok(ratio > 1.8 && ratio < 5, `majorWork:minorWork is ${ratio.toFixed(2)}, expected about 3`);
    assert.ok(sampler.rotationPause().rotations >= 2, 'the timer folded profiles while the work ran');
  });

  it('names frames `function (file:line)` with the file relative to the root and the TypeScript line', async () => {
    minorWork(100);
    majorWork(100);
    const frames = new Set((await readSamples(origin, secret)).stacks.flatMap(({ frame }) => frame.split(';')));

    assert.ok(frames.has(`minorWork (${busyWorkFile}:${declarationLine('minorWork')})`), [...frames].join('\n'));
    assert.ok(frames.has(`majorWork (${busyWorkFile}:${declarationLine('majorWork')})`), [...frames].join('\n'));
    for (const frame of frames) assert.match(frame, /^[^;]+$/);
  });
});
