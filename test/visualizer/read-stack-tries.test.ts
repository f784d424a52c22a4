import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlameTree } from '../../src/profile/flame-tree.js';
import { pruneStackTrie } from '../../src/profile/prune-flame-tree.js';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { buildStackTrie, StackShapes, type StackTrie } from '../../src/profile/stack-trie.js';
import { openStackStore, type StackStoreOptions } from '../../src/store/lmdb-stack-store.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { readStackTries } from '../../src/visualizer/read-stack-tries.js';
import { captureLog } from '../support/capture-log.js';
import { expectedSum, manualClock, prng, withTempFolder, type WrittenCollection } from '../store/store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight
/** Every maintenance collects the dictionary: ids of expired stacks are dropped as often as the test maintains. */
const ALWAYS = { entries: 0, fraction: 0 };

function storeOptions(path: string, clock: () => number, retentionSeconds: number): StackStoreOptions {
  return { path, retentionSeconds, clock, maintenanceIntervalMs: 0, dictionaryCollection: ALWAYS, logger: captureLog().log };
}

/** Every node of a trie, as a tree of plain objects: two tries are equal when these are. */
function wholeTree(trie: StackTrie): FlameTree {
  return pruneStackTrie(trie, { threshold: 0, maxNodes: Number.MAX_SAFE_INTEGER }).tree;
}

/** The string path: the store's stacks by string, over shapes of their own. */
function treeOfStrings(stacks: StackCounts): FlameTree {
  return wholeTree(buildStackTrie(stacks));
}

function treeOfIds(store: StackStore, shapes: StackShapes, hosts: string[], from: number, until: number): FlameTree {
  return wholeTree(readStackTries({ store, shapes }, [{ hosts, from, until }])[0]);
}

describe('tries read by stack id', () => {
  it('equal the tries of the stack strings over random stacks, ranges and retention, with ids dropped and stacks coming back (seeded)', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      await withTempFolder(async (path) => {
        const random = prng(seed);
        const below = (n: number) => Math.floor(random() * n);
        const retention = [600, 3600, DAY][below(3)];
        const time = manualClock(START);
        const store = openStackStore(storeOptions(path, time.clock, retention));
        // One shapes for the whole run, as a query worker keeps: it remembers ids the store later drops.
        const shapes = new StackShapes();
        const hosts = ['a', 'b', 'c'];
        const written: WrittenCollection[] = [];
        const randomStack = () => Array.from({ length: 1 + below(6) }, () => `f${below(5)}`).concat(`leaf${below(40)}`).join(';');
        let now = START;
        for (let step = 0; step < 30; step++) {
          // Clock steps from a second to more than a day: stacks expire, their ids are collected, and some come back.
          now += [1, 7, 60, 601, 3599, DAY + 17][below(6)];
          time.set(now);
          for (let i = 0; i < 1 + below(3); i++) {
            const stacks = new Map<string, number>();
            for (let j = 0; j < 1 + below(20); j++) stacks.set(randomStack(), 1 + below(4));
            const collection = { host: hosts[below(hosts.length)], time: now - below(120), stacks };
            written.push(collection);
            await store.write(collection.host, collection.time, collection.stacks);
          }
          if (below(2) === 0) await store.maintain();
          for (let r = 0; r < 4; r++) {
            const some = hosts.slice(below(3));
            const from = now - below(2 * retention + 3600);
            const until = from + below(2 * retention);
            const byIds = treeOfIds(store, shapes, some, from, until);
            assert.deepEqual(byIds, treeOfStrings(store.read(some, from, until)), `seed ${seed}, step ${step}: ids against strings`);
            assert.deepEqual(byIds, treeOfStrings(expectedSum(written, some, Math.max(from, now - retention), until)), `seed ${seed}, step ${step}: the model`);
          }
        }
        await store.close();
      });
    }
  });

  it('count a stack that was dropped and came back under a new id once, with its new counts', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START);
      const store = openStackStore(storeOptions(path, time.clock, DAY));
      const shapes = new StackShapes();
      await store.write('web1', START + 10, new Map([['main;gone', 5], ['main;stays', 1]]));
      assert.deepEqual(treeOfIds(store, shapes, ['web1'], 0, START + DAY), treeOfStrings(new Map([['main;gone', 5], ['main;stays', 1]])));
      const [oldId] = idsOf(store, ['web1'], 0, START + DAY, 'main;gone');
      // Its buckets expire and the collection drops its id; it then comes back.
      time.set(START + 2 * DAY + 5);
      await store.write('web1', START + 2 * DAY, new Map([['main;stays', 2]]));
      await store.maintain();
      assert.deepEqual(treeOfIds(store, shapes, ['web1'], 0, START + 3 * DAY), treeOfStrings(new Map([['main;stays', 2]])));
      await store.write('web1', START + 2 * DAY + 3, new Map([['main;gone', 3]]));
      const [newId] = idsOf(store, ['web1'], 0, START + 3 * DAY, 'main;gone');
      assert.notEqual(newId, oldId, 'the stack came back under a new id');
      assert.deepEqual(treeOfIds(store, shapes, ['web1'], 0, START + 3 * DAY), treeOfStrings(new Map([['main;gone', 3], ['main;stays', 2]])));
      await store.close();
    }));
});

/** The ids readIds gives `stack` over the range. */
function idsOf(store: StackStore, hosts: string[], from: number, until: number, stack: string): number[] {
  const ids: number[] = [];
  store.readIds(hosts, from, until).forEach((id) => {
    if (store.stackOfId(id) === stack) ids.push(id);
  });
  return ids;
}
