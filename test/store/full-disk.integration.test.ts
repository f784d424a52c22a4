import assert from 'node:assert/strict';
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { StoreWriteError } from '../../src/store/stack-store.js';
import { captureLog } from '../support/capture-log.js';
import { mountSmallFileSystem } from '../support/tmpfs.js';
import { expectedSum, manualClock, sorted, type WrittenCollection } from './store-fixtures.js';

const START = 1_700_006_400;

/** A collection of `size` stacks never written before: a full disk cannot take its dictionary entries. */
function freshStacks(seed: number, size = 300): Map<string, number> {
  return new Map(Array.from({ length: size }, (_, i) => [`main;collection${seed};frame${i};${'x'.repeat(200)}`, 1 + (i % 3)]));
}

// A real full disk, not a simulated one: it needs a tmpfs, hence root (CI runs as root).
const smallFs = mountSmallFileSystem(4);

describe('a full disk under the store', { skip: typeof smallFs === 'string' ? smallFs : false }, () => {
  it('fails the writes that do not fit, alone and whole, keeps reading, and writes again once space is freed', async () => {
    if (typeof smallFs === 'string') return;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const time = manualClock(START + 600);
    const { log, lines } = captureLog();
    const store = openStackStore({ path: path.join(smallFs.path, 'db'), retentionSeconds: 86400, clock: time.clock, logger: log, maintenanceIntervalMs: 0 });
    try {
      // Room the test can give back later: a file on the same file system.
      const filler = path.join(smallFs.path, 'filler');
      writeFileSync(filler, Buffer.alloc(1024 * 1024, 1));
      const written: WrittenCollection[] = [];
      const refused: WrittenCollection[] = [];
      for (let second = 0; refused.length < 5; second++) {
        assert.ok(second < 2000, 'the disk never filled up');
        const collection = { host: 'web1', time: START + second, stacks: freshStacks(second) };
        // Several at once, as a collection round writes them: lmdb commits them in one batch.
        const batch = [collection, { host: 'web2', time: START + second, stacks: new Map([[`web2;${second}`, 1]]) }];
        const outcomes = await Promise.allSettled(batch.map(({ host, time: at, stacks }) => store.write(host, at, stacks)));
        outcomes.forEach((outcome, i) => {
          if (outcome.status === 'fulfilled') written.push(batch[i]);
          else {
            assert.ok(outcome.reason instanceof StoreWriteError, String(outcome.reason));
            assert.equal(outcome.reason.outOfSpace, true);
            assert.match(outcome.reason.message, /^no space left for the store \((ENOSPC|EIO): /);
            refused.push(batch[i]);
          }
        });
      }
      assert.equal(statfsSync(smallFs.path).bavail, 0, 'the file system is full');
      // Small commits may still fit in pages LMDB freed; whichever way they go, they settle.
      const notStored = (error: unknown) => assert.ok(error instanceof StoreWriteError, String(error));
      await store.recordSuccess('web1', START).catch(notStored);
      await store.maintain().catch(notStored);
      const failing = lines.filter((line) => line.msg === 'store writes failing');
      assert.equal(failing.length, 1, 'one line for the kind of failure, however many writes failed');
      assert.equal(failing[0].kind, 'out of space');

      // Reads keep answering, with every acknowledged write whole and nothing of a refused one.
      const until = START + 10_000;
      assert.deepEqual(sorted(store.read(['web1', 'web2'], 0, until)), sorted(expectedSum(written, ['web1', 'web2'], 0, until)));

      rmSync(filler);
      for (const collection of refused) await store.write(collection.host, collection.time, collection.stacks);
      written.push(...refused);
      assert.deepEqual(sorted(store.read(['web1', 'web2'], 0, until)), sorted(expectedSum(written, ['web1', 'web2'], 0, until)), 'a retried write whose stacks a failed one had tried to add');
      time.set(START + 700);
      await store.recordSuccess('web1', START + 700);
      assert.deepEqual(
        lines.filter((line) => line.msg === 'store writes resumed').map((line) => [line.kind, (line.failures as number) >= 5]),
        [['out of space', true]],
      );
      assert.deepEqual(unhandled, []);
    } finally {
      await store.close();
      process.off('unhandledRejection', onUnhandled);
      smallFs.unmount();
    }
  });
});
