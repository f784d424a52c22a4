import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { open } from 'lmdb';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { openDatabases, type StoreDatabases } from '../../src/store/layout.js';
import { StackDictionary, STACKS_PER_TURN } from '../../src/store/stack-dictionary.js';
import { StoreWriteError } from '../../src/store/stack-store.js';
import { captureLog } from '../support/capture-log.js';
import { incompressibleText } from '../support/seeded-random.js';
import { mountSmallFileSystem } from '../support/tmpfs.js';
import { expectedSum, manualClock, prng, sorted, withTempFolder, type WrittenCollection } from './store-fixtures.js';

const START = 1_700_006_400;

/** `size` distinct stacks never written before, each about `length` characters long, as many bytes on disk. */
function newStacks(tag: string, size: number, length = 40): Map<string, number> {
  // Frame i's text depends on i alone: the same tag and index make the same stack in every call.
  return new Map(Array.from({ length: size }, (_, i) => [`main;${tag};frame${i};${incompressibleText(prng(i), length)}`, 1 + (i % 7)]));
}

/** How many strings the store's dictionary holds, read from its folder once the store is closed. */
function dictionarySize(folder: string): number {
  const env = open({ path: folder, readOnly: true });
  try {
    return env.openDB({ name: 'stacks', keyEncoding: 'uint32', encoding: 'string' }).getKeysCount();
  } finally {
    void env.close();
  }
}

describe('a write of many new stacks, whose dictionary entries are created in several transactions', () => {
  it('is stored exactly, and the dictionary holds each string once', async () => {
    await withTempFolder(async (folder) => {
      const size = STACKS_PER_TURN * 5 + 17;
      const store = openStackStore({ path: folder, retentionSeconds: 86400, clock: manualClock(START + 60).clock, maintenanceIntervalMs: 0 });
      const written: WrittenCollection[] = [
        { host: 'web1', time: START, stacks: newStacks('a', size) },
        // Half known, half new, written at once: both writes look up and create entries in turns.
        { host: 'web2', time: START + 1, stacks: new Map([...newStacks('a', size / 2), ...newStacks('b', size / 2)]) },
        { host: 'web1', time: START + 2, stacks: newStacks('b', size / 2) },
      ];
      await store.write(written[0].host, written[0].time, written[0].stacks);
      await Promise.all(written.slice(1).map(({ host, time, stacks }) => store.write(host, time, stacks)));
      for (const hosts of [['web1'], ['web2'], ['web1', 'web2']]) {
        assert.deepEqual(sorted(store.read(hosts, START, START + 60)), sorted(expectedSum(written, hosts, START, START + 60)), hosts.join());
      }
      await store.close();
      assert.equal(dictionarySize(folder), size + Math.floor(size / 2));
    });
  });

  it('shows nothing of a write whose final transaction fails after its new entries were created, and a retry reuses them', async () => {
    await withTempFolder(async (folder) => {
      const { log } = captureLog();
      const store = openStackStore({ path: folder, retentionSeconds: 86400, clock: manualClock(START + 60).clock, logger: log, maintenanceIntervalMs: 0 });
      const stacks = newStacks('c', STACKS_PER_TURN * 3);
      // LMDB refuses a key past its limit (about 2 KB) inside the final transaction, which writes the host's bucket:
      // by then every new dictionary entry has been committed.
      const unstorableHost = 'h'.repeat(4000);
      await assert.rejects(store.write(unstorableHost, START, stacks));
      assert.deepEqual(store.hosts(), [], 'no bucket, total or rollup of the failed write was stored');
      await store.write('web1', START, stacks);
      assert.deepEqual(sorted(store.read(['web1'], 0, START + 60)), sorted(stacks));
      await store.close();
      assert.equal(dictionarySize(folder), stacks.size, 'the entries the failed write created were reused, not made again');
    });
  });
});

/** A dictionary over the databases of `folder` whose commits are counted. */
function countingDictionary(folder: string): { dbs: StoreDatabases; dictionary: StackDictionary; commits: { count: number } } {
  const dbs = openDatabases(folder);
  const commits = { count: 0 };
  const dictionary = new StackDictionary(dbs, async (work) => {
    commits.count++;
    return dbs.env.childTransaction(work);
  });
  return { dbs, dictionary, commits };
}

/** Whether a value read raw from the stacks database is compressed: lmdb-js marks one with a first byte of 254 or 255, which UTF-8 never starts with. */
function isCompressed(value: Uint8Array): boolean {
  return value[0] >= 254;
}

describe('the dictionary as stored', () => {
  it('keys each stack by the first 16 bytes of the sha256 of its UTF-8 string and stores the string itself, whatever its characters', async () => {
    await withTempFolder(async (folder) => {
      // Multi-byte characters, a character outside the BMP, a lone surrogate (stored as U+FFFD), and one longer than the first scratch buffer.
      const stacks = ['main;ascii', 'main;überall;日本', 'main;emoji😀', 'main;lone\ud800;x', `main;${'ü'.repeat(40_000)}`];
      const store = openStackStore({ path: folder, retentionSeconds: 86400, clock: manualClock(START + 60).clock, maintenanceIntervalMs: 0 });
      await store.write('web1', START, new Map(stacks.map((stack) => [stack, 1])));
      await store.close();
      const dbs = openDatabases(folder);
      try {
        const stored = new Map(Array.from(dbs.stacks.getRange(), ({ key, value }) => [value, key]));
        assert.deepEqual([...stored.keys()].sort(), stacks.map((stack) => stack.replace('\ud800', '\ufffd')).sort());
        for (const stack of stacks) {
          const digest = createHash('sha256').update(stack, 'utf8').digest();
          assert.equal(dbs.stackIds.get(digest.subarray(0, 16)), stored.get(stack.replace('\ud800', '\ufffd')), stack.slice(0, 20));
        }
        assert.deepEqual(new Set(Array.from(dbs.stackIds.getKeys(), (key) => key.length)), new Set([16]));
      } finally {
        await dbs.env.close();
      }
    });
  });

  it('compresses strings of 64 bytes and more, and reads strings a format-4 store left uncompressed as they are', async () => {
    await withTempFolder(async (folder) => {
      const frames = (tag: string) => Array.from({ length: 12 }, (_, level) => `${tag}_${level}(app/module${level}.py:${100 + level})`).join(';');
      const short = 'main;idle';
      const [old, newer] = [frames('old'), frames('new')];
      const clock = manualClock(START + 60).clock;
      const options = { path: folder, retentionSeconds: 86400, clock, maintenanceIntervalMs: 0 };
      let store = openStackStore(options);
      await store.write('web1', START, new Map([[short, 2], [old, 3], [`main;${'ü'.repeat(40_000)}`, 1]]));
      await store.close();
      // As format 4 stored every string: its UTF-8 bytes, uncompressed.
      let env = open({ path: folder });
      const raw = env.openDB({ name: 'stacks', keyEncoding: 'uint32', encoding: 'binary' });
      const stored = Array.from(raw.getRange(), ({ value }: { value: Buffer }) => value);
      assert.equal(stored.filter(isCompressed).length, 2, 'the two long strings are stored compressed');
      assert.ok(stored.some((value) => value.toString('utf8') === short), 'the short one as it is');
      const oldId = env.openDB<number, Buffer>({ name: 'stackIds', keyEncoding: 'binary' }).get(createHash('sha256').update(old, 'utf8').digest().subarray(0, 16))!;
      await env.transaction(() => {
        raw.put(oldId, Buffer.from(old, 'utf8'));
        env.openDB({ name: 'meta' }).put('countsFormat', 4);
      });
      await env.close();

      store = openStackStore(options);
      await store.write('web1', START + 1, new Map([[old, 1], [newer, 4]]));
      assert.deepEqual(sorted(store.read(['web1'], START, START + 60)), sorted(new Map([[short, 2], [old, 4], [newer, 4], [`main;${'ü'.repeat(40_000)}`, 1]])));
      await store.close();
      env = open({ path: folder, readOnly: true });
      const after = new Map(Array.from(env.openDB({ name: 'stacks', keyEncoding: 'uint32', encoding: 'binary' }).getRange(), ({ key, value }) => [key, value]));
      assert.equal(after.get(oldId)!.toString('utf8'), old, 'the old string is left as format 4 stored it, and still found by its digest');
      assert.equal(after.size, 4);
      assert.equal([...after.values()].filter(isCompressed).length, 2, 'the new long string is compressed');
      assert.equal(env.openDB({ name: 'meta' }).get('countsFormat'), 5);
      await env.close();
    });
  });
});

describe('the dictionary cache', () => {
  it('learns every piece of a large body: the same stacks again cost no transaction', async () => {
    await withTempFolder(async (folder) => {
      const { dbs, dictionary, commits } = countingDictionary(folder);
      const stacks = [...newStacks('d', STACKS_PER_TURN * 3).keys()];
      const first = await dictionary.idsOf(stacks);
      assert.equal(commits.count, 3, 'a transaction of new entries a piece');
      commits.count = 0;
      const again = await dictionary.idsOf(stacks);
      assert.equal(commits.count, 0, 'no lookup transaction');
      assert.deepEqual(again, first);
      await dbs.env.close();
    });
  });

  it('forgets, a piece at a time, the stacks not written since its last pass, and keeps the others', async () => {
    await withTempFolder(async (folder) => {
      const { dbs, dictionary, commits } = countingDictionary(folder);
      // More stacks than a pass looks at in one turn.
      const stacks = [...newStacks('e', 12_000).keys()];
      const used = stacks.filter((_, i) => i % 2 === 0);
      const unused = stacks.filter((_, i) => i % 2 === 1);
      const ids = await dictionary.idsOf(stacks);
      await dictionary.idsOf(used);
      await dictionary.evictUnusedFromCache();
      commits.count = 0;
      await dictionary.idsOf(used);
      assert.equal(commits.count, 0, 'the stacks written again since were kept');
      const again = await dictionary.idsOf(unused);
      assert.equal(commits.count, Math.ceil(unused.length / STACKS_PER_TURN), 'the others are looked up again, a transaction a piece');
      assert.deepEqual(again, Uint32Array.from(unused, (_, i) => ids[2 * i + 1]), 'under the same ids');
      await dbs.env.close();
    });
  });
});

// A real full disk: it needs a tmpfs, hence root (CI runs as root).
const smallFs = mountSmallFileSystem(16);

describe('a write of many new stacks on a disk that fills up part-way', { skip: typeof smallFs === 'string' ? smallFs : false }, () => {
  it('fails whole, shows nothing, and stores exactly once space is freed', async () => {
    if (typeof smallFs === 'string') return;
    const { log } = captureLog();
    const folder = path.join(smallFs.path, 'db');
    const store = openStackStore({ path: folder, retentionSeconds: 86400, clock: manualClock(START + 60).clock, logger: log, maintenanceIntervalMs: 0 });
    try {
      await store.write('web1', START, new Map([['main;small', 3]]));
      const filler = path.join(smallFs.path, 'filler');
      writeFileSync(filler, Buffer.alloc(10 * 1024 * 1024, 1));
      // About 7.5 MB of strings: more than the disk has left, far less than it has once the filler goes.
      const stacks = newStacks('d', 25_000, 300);
      const failure = await store.write('web1', START + 1, stacks).then(() => null, (error: unknown) => error);
      assert.ok(failure instanceof StoreWriteError && failure.outOfSpace, String(failure));
      assert.deepEqual(sorted(store.read(['web1'], 0, START + 60)), [['main;small', 3]]);
      rmSync(filler);
      await store.write('web1', START + 1, stacks);
      assert.deepEqual(sorted(store.read(['web1'], 0, START + 60)), sorted(new Map([...stacks, ['main;small', 3]])));
      await store.close();
      assert.equal(dictionarySize(folder), stacks.size + 1);
    } finally {
      await store.close();
      smallFs.unmount();
    }
  });
});
