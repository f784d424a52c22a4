import assert from 'node:assert/strict';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OTHER_STACKS } from '../../src/sampler/capped-stack-counts.js';
import { StackSampler } from '../../src/sampler/stack-sampler.js';
import { freshBusyFunction } from '../fixtures/sampler/busy-work.js';
import { repositoryRoot } from '../fixtures/sampler/source-lines.js';
import { spawnOwned } from '../support/child-processes.js';

const settings = { intervalSeconds: 0.001, rotateSeconds: 0.02, maxStacks: 5, root: repositoryRoot };

describe('StackSampler', () => {
  it('keeps at most maxStacks stacks over many unread rotations, the rest counted as other stacks', async () => {
    const sampler = new StackSampler(settings);
    try {
      const functions = Array.from({ length: 40 }, (_, i) => freshBusyFunction(`distinct${i}`));
      for (let round = 0; round < 3; round++) {
        for (const work of functions) {
          work(4);
          await nextTurn();
        }
      }
      const reading = sampler.read();
      assert.ok(reading);

      assert.ok(reading.stacks.size <= settings.maxStacks + 1, `${reading.stacks.size} stacks kept`);
      assert.ok((reading.stacks.get(OTHER_STACKS) ?? 0) > 0, 'samples beyond the cap are still counted');
      assert.ok(sampler.rotationPause().rotations >= 5, `${sampler.rotationPause().rotations} rotations`);
      assert.equal(reading.granularity, 0.001);
    } finally {
      sampler.stop();
    }
  });

  it('records how long each rotation paused the event loop', () => {
    const sampler = new StackSampler(settings);
    try {
      assert.deepEqual(sampler.rotationPause(), { lastMs: 0, maxMs: 0, rotations: 0 });
      sampler.read();
      sampler.read();
      const pause = sampler.rotationPause();
      assert.equal(pause.rotations, 2);
      assert.ok(pause.lastMs > 0 && pause.maxMs >= pause.lastMs);
    } finally {
      sampler.stop();
    }
  });

  it('stops its timer and serves nothing once stopped', async () => {
    const sampler = new StackSampler(settings);
    sampler.stop();
    await sleep(100);
    assert.equal(sampler.rotationPause().rotations, 0, 'no rotation after stop');
    assert.equal(sampler.read(), undefined);
  });

  it('never keeps a process alive', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/sampler/sampler-left-running.ts', import.meta.url));
    const child = spawnOwned(process.execPath, ['--import', 'tsx', fixture], { cwd: repositoryRoot, stdio: 'inherit' });
    const stillRunning = setTimeout(() => child.kill(), 30_000);
    const [code, signal] = (await new Promise((resolve) => child.once('exit', (...exit) => resolve(exit)))) as [number | null, string | null];
    clearTimeout(stillRunning);
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, 'the process ended by itself');
  });
});
