import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fleetRolledUntil, FLEET_LEVELS } from '../../src/store/fleet-rollup.js';
import { openDatabases } from '../../src/store/layout.js';
import { LEVEL_SECONDS } from '../../src/store/levels.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { unpackCounts } from '../../src/store/packed-counts.js';
import { expectedSum, manualClock, prng, randomStacks, sorted, withTempFolder, type WrittenCollection } from './store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight

/**
 * Every readable fleet bucket (built, and starting at or after the horizon)
 * holds exactly the naive sum of every host's samples in its period.
 * Returns how many it checked.
 */
async function assertFleetBucketsExact(path: string, written: readonly WrittenCollection[], horizon: number, context: string): Promise<number> {
  const dbs = openDatabases(path);
  try {
    const stacks = new Map<number, string>();
    for (const { key, value } of dbs.stacks.getRange()) stacks.set(key, value);
    const rolledUntil = fleetRolledUntil(dbs);
    const hosts = [...new Set(written.map(({ host }) => host))];
    let checked = 0;
    for (const level of FLEET_LEVELS) {
      const seconds = LEVEL_SECONDS[level];
      const first = Math.ceil(horizon / seconds) * seconds;
      for (let period = first; period + seconds <= rolledUntil[level]; period += seconds) {
        const stored = dbs.fleet.get([level, period]);
        const actual = new Map<string, number>();
        if (stored !== undefined) unpackCounts(stored, { add: (id, count) => actual.set(stacks.get(id) ?? `missing id ${id}`, count) });
        assert.deepEqual(sorted(actual), sorted(expectedSum(written, hosts, period, period + seconds - 1)), `${context}: fleet bucket level ${level} at ${period}`);
        checked++;
      }
    }
    return checked;
  } finally {
    await dbs.env.close();
  }
}

describe('fleet buckets', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`give reads of every host exactly the per-host sum through writes, late writes, new hosts, retention and forget (seed ${seed})`, () =>
      withTempFolder(async (path) => {
        const random = prng(seed);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
        const retention = pick([5 * 3600, DAY + 1800, 3 * DAY]);
        const hostNames = ['h1', 'h2', 'h3', 'h4', 'h5'];
        const stackNames = ['a', 'a;b', 'a;b;c', 'a;d', 'e', 'e;f', 'g', 'g;h;i'];
        let now = START + Math.floor(random() * DAY);
        const time = manualClock(now);
        let store = openStackStore({ path, retentionSeconds: retention, clock: time.clock, maintenanceIntervalMs: 0 });
        let written: WrittenCollection[] = [];
        const write = (host: string, at: number): Promise<void> => {
          const stacks = randomStacks(random, stackNames);
          written.push({ host, time: at, stacks });
          return store.write(host, at, stacks);
        };
        // Maintenance with late writes issued turn after turn while it runs (a dozen at most), most into the periods it builds: they share its transactions.
        const maintainWhileWriting = async () => {
          let maintaining = true;
          const maintained = store.maintain().finally(() => {
            maintaining = false;
          });
          const writes: Array<Promise<void>> = [];
          while (maintaining && writes.length < 12) {
            writes.push(write(pick(hostNames), now - 1 - Math.floor(random() * (random() < 0.7 ? 2 * 3600 : retention))));
            await nextTurn();
          }
          await maintained;
          await Promise.all(writes);
        };
        let fleetChecked = 0;
        const check = async (context: string) => {
          const horizon = now - retention;
          const every = [...new Set(written.map(({ host }) => host))];
          for (let i = 0; i < 6; i++) {
            // All hosts (with one never written, as `_all` passes configured hosts), or some of them.
            const readHosts = pick([[...hostNames, 'h9'], hostNames, every, ['h1', 'h2']]);
            const from = pick([0, horizon, now - DAY, now - 3600 * Math.floor(random() * 30), now - Math.floor(random() * 2 * retention)]);
            const until = pick([now, from + Math.floor(random() * 2 * DAY)]);
            assert.deepEqual(
              sorted(store.read(readHosts, from, until)),
              sorted(expectedSum(written, readHosts, Math.max(from, horizon), until)),
              `${context}: read ${readHosts} ${from}..${until}`,
            );
          }
          // The fleet buckets themselves, read directly from a second handle on the folder.
          await store.close();
          fleetChecked += await assertFleetBucketsExact(path, written, horizon, context);
          store = openStackStore({ path, retentionSeconds: retention, clock: time.clock, maintenanceIntervalMs: 0 });
        };
        for (let op = 0; op < 300; op++) {
          const roll = random();
          if (roll < 0.25) {
            now += random() < 0.7 ? 60 + Math.floor(random() * 900) : Math.floor(random() * 6 * 3600);
            time.set(now);
          } else if (roll < 0.5) {
            // A collection round: most hosts, this second.
            await Promise.all(hostNames.filter(() => random() < 0.8).map((host) => write(host, now)));
          } else if (roll < 0.65) {
            // A late write, into built periods and sometimes from before the horizon, by any host (also a new one).
            await write(pick([...hostNames, 'late1', 'late2']), now - Math.floor(random() * 1.5 * retention));
          } else if (roll < 0.8) {
            if (random() < 0.5) await store.maintain();
            else await maintainWhileWriting();
          } else if (roll < 0.85) {
            const host = pick([...hostNames, 'late1']);
            // Another host's write in flight: whether a write of the forgotten host itself
            // lands before or after the forget is up to the write path (both are allowed).
            const writing = write(pick(hostNames.filter((other) => other !== host)), now);
            await store.forget(host);
            await writing;
            written = written.filter((collection) => collection.host !== host);
          } else {
            await check(`seed ${seed} op ${op}`);
          }
        }
        await store.maintain();
        await check(`seed ${seed} at the end`);
        await store.close();
        assert.ok(fleetChecked > 0, 'some fleet buckets were built and checked');
      }));
  }
});
