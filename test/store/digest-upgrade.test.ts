import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { open } from 'lmdb';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { incompressibleText } from '../support/seeded-random.js';
import { manualClock, prng, sorted, withTempFolder } from './store-fixtures.js';

const START = 1_700_006_400;

describe('a format-4 folder, its dictionary keyed by whole sha256 digests', () => {
  it('is upgraded at open, even one cut off half-way: every stack keeps its id under its 16-byte key', () =>
    withTempFolder(async (path) => {
      const random = prng(11);
      // More than one upgrade transaction's 10,000 keys.
      const stacks = new Map(Array.from({ length: 25_000 }, (_, i) => [`main;serve;handler${i % 50};${incompressibleText(random, 20)};leaf${i}`, 1 + (i % 3)]));
      const options = { path, retentionSeconds: 86400, clock: manualClock(START + 60).clock, maintenanceIntervalMs: 0 };
      let store = openStackStore(options);
      await store.write('web1', START, stacks);
      await store.close();

      // As format 4 keyed them, but for every third stack, whose key an upgrade cut off half-way had already shortened.
      let env = open({ path });
      const strings = env.openDB<string, number>({ name: 'stacks', keyEncoding: 'uint32', encoding: 'string' });
      const stackIds = env.openDB<number, Buffer>({ name: 'stackIds', keyEncoding: 'binary' });
      const idsBefore = new Map(Array.from(strings.getRange(), ({ key, value }) => [value, key]));
      await env.transaction(() => {
        let n = 0;
        for (const [stack, id] of idsBefore) {
          if (n++ % 3 === 0) continue;
          const digest = createHash('sha256').update(stack, 'utf8').digest();
          stackIds.remove(digest.subarray(0, 16));
          stackIds.put(digest, id);
        }
        env.openDB({ name: 'meta' }).put('countsFormat', 4);
      });
      await env.close();

      store = openStackStore(options);
      // The write first: a read would put the stacks it names in the dictionary's cache, where the write would find them.
      await store.write('web2', START + 1, stacks);
      assert.deepEqual(sorted(store.read(['web1'], START, START + 59)), sorted(stacks));
      assert.deepEqual(sorted(store.read(['web2'], START, START + 59)), sorted(stacks));
      await store.close();

      env = open({ path, readOnly: true });
      const keys = Array.from(env.openDB<number, Buffer>({ name: 'stackIds', keyEncoding: 'binary' }).getRange(), ({ key, value }) => ({ key, id: value }));
      assert.equal(keys.length, stacks.size, 'the second write found every stack: no entry was made again');
      assert.ok(keys.every(({ key }) => key.length === 16), 'every key is 16 bytes');
      const idsAfter = new Map(Array.from(env.openDB<string, number>({ name: 'stacks', keyEncoding: 'uint32', encoding: 'string' }).getRange(), ({ key, value }) => [value, key]));
      assert.deepEqual(idsAfter, idsBefore, 'each stack under the id it had');
      assert.equal(env.openDB({ name: 'meta' }).get('countsFormat'), 5);
      await env.close();
    }));
});
