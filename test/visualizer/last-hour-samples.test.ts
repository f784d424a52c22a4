import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { LastHourSamples } from '../../src/visualizer/last-hour-samples.js';
import { manualClock, prng, withTempFolder } from '../store/store-fixtures.js';

const NOW = 1_714_564_800;

/** A real store that counts the totals it is asked for, and the seconds they span. */
function countingTotals(inner: StackStore): { store: StackStore; reads: () => number; secondsRead: () => number } {
  let reads = 0;
  let secondsRead = 0;
  const store: StackStore = Object.create(inner);
  store.totals = (hosts, from, step, steps) => {
    reads += 1;
    secondsRead += step * steps;
    return inner.totals(hosts, from, step, steps);
  };
  return { store, reads: () => reads, secondsRead: () => secondsRead };
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

  it('on the server that makes every write, slides a host not written since to the new second: two short reads, the same totals', () =>
    withTempFolder(async (path) => {
      const time = manualClock(NOW);
      const inner = openStackStore({ path, retentionSeconds: 86_400, clock: time.clock, maintenanceIntervalMs: 0 });
      const { store, reads, secondsRead } = countingTotals(inner);
      const lastHour = new LastHourSamples(store, { ownWrites: true, retentionSeconds: 86_400 });
      try {
        await inner.write('web1', NOW - 3599, new Map([['a', 2]]));
        await inner.write('web1', NOW - 3597, new Map([['a', 3]]));
        await inner.write('web1', NOW, new Map([['a', 5]]));
        assert.deepEqual(lastHour.of(['web1'], NOW), [10]);
        await inner.write('web1', NOW + 2, new Map([['a', 7]]));
        assert.deepEqual(lastHour.of(['web1'], NOW + 1), [8], 'written since: the hour read whole');
        const before = { reads: reads(), seconds: secondsRead() };

        time.set(NOW + 3);
        assert.deepEqual(lastHour.of(['web1'], NOW + 3), [12], 'the seconds NOW - 3598 and NOW - 3597 left, NOW + 2 and NOW + 3 entered');
        assert.deepEqual({ reads: reads() - before.reads, seconds: secondsRead() - before.seconds }, { reads: 2, seconds: 4 });
      } finally {
        await inner.close();
      }
    }));

  it('equals the totals of the last hour however writes, forgets, maintenance and the clock go (5 seeds)', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const random = prng(seed);
      const below = (n: number) => Math.floor(random() * n);
      // A retention just over the hour: the seconds leaving it are soon deleted by maintenance.
      const retentionSeconds = [86_400, 3600 + 30, 1800][seed % 3];
      await withTempFolder(async (path) => {
        let now = NOW;
        const time = manualClock(now);
        const store = openStackStore({ path, retentionSeconds, clock: time.clock, maintenanceIntervalMs: 0 });
        const lastHour = new LastHourSamples(store, { ownWrites: true, retentionSeconds });
        const hosts = ['web1', 'web2', 'web3'];
        try {
          for (let step = 0; step < 300; step++) {
            const action = random();
            if (action < 0.4) {
              // Mostly now, sometimes back within the hour (a push stamped earlier).
              const late = random() < 0.3 ? below(3600) : 0;
              await store.write(hosts[below(hosts.length)], Math.max(now - late, now - retentionSeconds + 1), new Map([[`s${below(5)}`, 1 + below(9)]]));
            } else if (action < 0.45) {
              await store.forget(hosts[below(hosts.length)]);
            } else if (action < 0.5) {
              await store.maintain();
            } else {
              // Mostly a second or a few on, sometimes a long way on, sometimes back.
              const moves = [1, 1, 2, 5, 40, 3599, 3600, 5000, -3];
              now += moves[below(moves.length)];
              time.set(now);
            }
            const expected = hosts.map((host) => store.totals([host], now - 3599, 3600, 1)[0]);
            assert.deepEqual(lastHour.of(hosts, now), expected, `seed ${seed}, step ${step}`);
          }
        } finally {
          await store.close();
        }
      });
    }
  });
});
