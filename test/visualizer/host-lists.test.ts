import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../src/http-error.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { HostLists } from '../../src/visualizer/host-lists.js';
import { hostsToRead, knownHosts } from '../../src/visualizer/host-names.js';
import { manualClock, withTempFolder } from '../store/store-fixtures.js';

const NOW = 1_714_564_800;
const CONFIGURED = ['web1'];
const SELECTORS = ['_all', 'web1', 'shop', 'shop{region="eu"}', '{__type__="cpu"}'];
const STACKS = new Map([['main;serve', 3]]);

function open(path: string): StackStore {
  return openStackStore({ path, retentionSeconds: 86_400, clock: manualClock(NOW).clock, maintenanceIntervalMs: 0 });
}

/** Each selector's list, or the status it is refused with. */
function listsOf(of: (selector: string) => readonly string[]): Array<readonly string[] | number> {
  return SELECTORS.map((selector) => {
    try {
      return of(selector);
    } catch (error) {
      if (error instanceof HttpError) return error.status;
      throw error;
    }
  });
}

test('a list is remembered while the host set stays, and worked out again once a host first reports, gets a status or is forgotten', async () => {
  await withTempFolder(async (path) => {
    const store = open(path);
    try {
      const lists = new HostLists(CONFIGURED, store, { ownWrites: true });
      const expectFresh = () => {
        assert.deepEqual(listsOf((selector) => lists.of(selector)), listsOf((selector) => hostsToRead(selector, CONFIGURED, store)));
        assert.deepEqual(lists.knownHosts(), knownHosts(CONFIGURED, store));
      };
      expectFresh();
      await store.write('shop{region=eu}', NOW - 10, STACKS);
      await store.recordSuccess('web1', NOW - 10);
      expectFresh();
      const all = lists.of('_all');
      assert.deepEqual(all, ['web1', 'shop{region=eu}']);
      // More samples of a known host: the same list, not worked out again.
      await store.write('shop{region=eu}', NOW - 5, STACKS);
      await store.recordSuccess('web1', NOW - 5);
      assert.equal(lists.of('_all'), all);
      const known = lists.knownHosts();
      await store.write('shop{region=eu}', NOW - 4, STACKS);
      assert.equal(lists.knownHosts(), known);
      await store.write('shop{region=us}', NOW - 5, STACKS);
      expectFresh();
      // A status alone makes a host known.
      await store.recordError('db1', NOW - 5, 'connection refused');
      expectFresh();
      assert.deepEqual(lists.of('_all'), ['web1', 'db1', 'shop{region=eu}', 'shop{region=us}']);
      await store.forget('shop{region=eu}');
      expectFresh();
      assert.deepEqual(lists.of('shop'), ['shop{region=us}']);
      // Written again after it was forgotten: known again.
      await store.write('shop{region=eu}', NOW - 1, STACKS);
      expectFresh();
    } finally {
      await store.close();
    }
  });
});

test("hosts another process adds are seen where its writes are not this process's own", async () => {
  await withTempFolder(async (path) => {
    const store = open(path);
    const collecting = open(path);
    try {
      await store.write('shop{region=eu}', NOW - 10, STACKS);
      const readOnly = new HostLists([], store, { ownWrites: false });
      const writing = new HostLists([], store, { ownWrites: true });
      assert.deepEqual(readOnly.of('_all'), ['shop{region=eu}']);
      assert.deepEqual(readOnly.knownHosts(), ['shop{region=eu}']);
      assert.deepEqual(writing.of('_all'), ['shop{region=eu}']);
      await collecting.write('shop{region=us}', NOW - 5, STACKS);
      store.readLatest();
      assert.deepEqual(readOnly.of('_all'), ['shop{region=eu}', 'shop{region=us}']);
      assert.deepEqual(readOnly.knownHosts(), ['shop{region=eu}', 'shop{region=us}']);
      // Why a read-only server may not trust its own store's revision: it never hears of the other's writes.
      assert.deepEqual(writing.of('_all'), ['shop{region=eu}']);
    } finally {
      await collecting.close();
      await store.close();
    }
  });
});
