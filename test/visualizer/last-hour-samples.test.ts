import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { LastHourSamples } from '../../src/visualizer/last-hour-samples.js';
import { manualClock, withTempFolder } from '../store/store-fixtures.js';

const NOW = 1_714_564_800;

/** A real store that counts the totals it is asked for. */
function countingTotals(inner: StackStore): { store: StackStore; reads: () => number } {
  let reads = 0;
  const store: StackStore = Object.create(inner);
  store.totals = (hosts, from, step, steps) => {
    reads += 1;
    return inner.totals(hosts, from, step, steps);
  };
  return { store, reads: () => reads };
}

describe('LastHourSamples', () => {
  it('equals the totals of the last hour, read again only after a write of the host, a forget or a new second', () =>
    withTempFolder(async (path) => {
      const time = manualClock(NOW);
      const inner = openStackStore({ path, retentionSeconds: 86_400, clock: time.clock, maintenanceIntervalMs: 0 });
      const { store, reads } = countingTotals(inner);
      const lastHour = new LastHourSamples(store);
      const expected = (hosts: string[], now: number) => hosts.map((host) => inner.totals([host], now - 3599, 3600, 1)[0]);
      try {
        await inner.write('web1', NOW - 3600, new Map([['a', 1]]));
        await inner.write('web1', NOW - 3599, new Map([['a', 2]]));
        await inner.write('web2', NOW, new Map([['b', 4]]));
        assert.deepEqual(lastHour.of(['web1', 'web2', 'idle'], NOW), [2, 4, 0]);
        assert.equal(reads(), 3);
        assert.deepEqual(lastHour.of(['web1', 'web2', 'idle'], NOW), [2, 4, 0]);
        assert.equal(reads(), 3, 'nothing changed: nothing read');

        await inner.write('web2', NOW, new Map([['b', 1]]));
        assert.deepEqual(lastHour.of(['web1', 'web2', 'idle'], NOW), [2, 5, 0]);
        assert.equal(reads(), 4, 'only the host written is read again');

        // A second later the oldest second leaves the hour, for every host.
        time.set(NOW + 1);
        assert.deepEqual(lastHour.of(['web1', 'web2', 'idle'], NOW + 1), expected(['web1', 'web2', 'idle'], NOW + 1));
        assert.deepEqual(lastHour.of(['web1', 'web2', 'idle'], NOW + 1), [0, 5, 0]);
        assert.equal(reads(), 7);

        await inner.maintain();
        assert.deepEqual(lastHour.of(['web1', 'web2'], NOW + 1), [0, 5]);
        assert.equal(reads(), 7, 'maintenance changes no total: nothing read');

        await inner.forget('web2');
        assert.deepEqual(lastHour.of(['web1', 'web2'], NOW + 1), [0, 0]);
        assert.equal(reads(), 9, 'forgetting a host changes every host');
      } finally {
        await inner.close();
      }
    }));

  it('reads the totals a write committed as soon as the write resolved', () =>
    withTempFolder(async (path) => {
      const store = openStackStore({ path, retentionSeconds: 86_400, clock: manualClock(NOW).clock, maintenanceIntervalMs: 0 });
      const lastHour = new LastHourSamples(store);
      try {
        for (let count = 1; count <= 20; count++) {
          // Listed while the write is under way, then right after it.
          const written = store.write('web1', NOW, new Map([[`stack${count}`, count]]));
          lastHour.of(['web1'], NOW);
          await written;
          assert.deepEqual(lastHour.of(['web1'], NOW), [(count * (count + 1)) / 2]);
        }
      } finally {
        await store.close();
      }
    }));
});
