import { putBucket, removeBucket } from './bucket-writes.js';
import type { IdCounts } from './id-counts.js';
import { bucketRange, firstBucketStart, MAX_TIME, recordExpiredBefore, type StoreDatabases } from './layout.js';
import { COARSEST_LEVEL, firstPeriodFrom, LEVEL_SECONDS, periodStart } from './levels.js';
import type { Commit } from './commit.js';
import { forEachCoveringBucket, levelsScan } from './resolve-bucket.js';
import { forEachValueInPlace } from './values-in-place.js';

/**
 * Work per maintenance transaction: finer buckets summed plus expired keys
 * deleted plus hosts visited. One transaction covers as many hosts as fit,
 * so a fleet is maintained in a few commits, yet a catch-up never holds the
 * writer for long.
 */
export const WORK_PER_TRANSACTION = 2000;

/** What is left of a transaction's work; steps stop when it reaches zero. */
interface Budget {
  left: number;
}

/**
 * rolledUntil[level] for planning and late writes: level 0 is complete by
 * construction; a host never maintained has nothing rolled up.
 * Stored as [level 1, level 2, ...] under the host in `rollups`.
 */
export function rolledUntilOf(stored: readonly number[] | undefined): number[] {
  const rolledUntil = [Infinity];
  for (let level = 1; level <= COARSEST_LEVEL; level++) rolledUntil.push(stored?.[level - 1] ?? -Infinity);
  return rolledUntil;
}

/** The first data of a host that was never maintained marks where its rollups start. */
function initialRolledUntil(dbs: StoreDatabases, host: string): number[] | undefined {
  const first = firstBucketStart(dbs, host, 0);
  return first === undefined ? undefined : LEVEL_SECONDS.slice(1).map((seconds) => periodStart(first, seconds));
}

/**
 * Periods of a level one rollup scan covers: with one collection a second,
 * 24 minutes are 1,440 buckets, about a transaction's budget.
 */
const PERIODS_PER_SCAN = 24;

/** A finer bucket a rollup reads: where it starts and at which level. */
interface FinerBucket {
  start: number;
  level: number;
}

/**
 * Adds to `sums` the buckets of `period` (in time order, of one host) that
 * are at level `level`, read in place in one scan of the keys from the first
 * to the last of them. The scan passes over the keys of that level that are
 * not among them unread: seconds of a minute that has a bucket of its own.
 */
function addBucketsOfLevel(dbs: StoreDatabases, host: string, period: readonly FinerBucket[], level: number, sums: IdCounts): void {
  let next = period.findIndex((bucket) => bucket.level === level);
  if (next === -1) return;
  let last = period.length - 1;
  while (period[last].level !== level) last--;
  forEachValueInPlace(dbs.countsInPlace, bucketRange(host, level, period[next].start, period[last].start + 1), (packed, key) => {
    if (next > last || key[2] !== period[next].start) return;
    sums.addPacked(packed);
    do next++;
    while (next <= last && period[next].level !== level);
  });
}

/**
 * Builds `host`'s level-`level` buckets of the periods in [start, end)
 * (whole periods) from the buckets covering them one level down (see
 * forEachCoveringBucket); returns how many keys and values it read. A period made of
 * a single finer bucket gets no bucket of its own: reads take that one.
 */
function buildBuckets(dbs: StoreDatabases, host: string, level: number, start: number, end: number, sums: IdCounts): number {
  const seconds = LEVEL_SECONDS[level];
  // Keys first: a period of one finer bucket (every minute, with one collection a minute) needs no value read.
  const finer: FinerBucket[] = [];
  forEachCoveringBucket(levelsScan(dbs, host), level - 1, start, end, (bucketStart, finerLevel) => finer.push({ start: bucketStart, level: finerLevel }));
  // Missing finer periods are read after the others: back in time order, so each period's buckets are adjacent.
  finer.sort((a, b) => a.start - b.start);
  let read = 0;
  for (let first = 0; first < finer.length; ) {
    const period = periodStart(finer[first].start, seconds);
    let after = first + 1;
    while (after < finer.length && finer[after].start < period + seconds) after++;
    if (after - first > 1) {
      sums.clear();
      const buckets = finer.slice(first, after);
      for (let finerLevel = 0; finerLevel < level; finerLevel++) addBucketsOfLevel(dbs, host, buckets, finerLevel, sums);
      putBucket(dbs, [host, level, period], sums.pack());
      read += after - first;
    }
    first = after;
  }
  return finer.length + read;
}

/**
 * Builds `host`'s level-`level` buckets for every period that has ended by
 * `now` and whose finer data is complete, skipping periods that start before
 * retention's `cutoff`: no read ever uses one (reads start at or after the
 * cutoff and use a bucket only when its whole period lies inside the range),
 * and a day bucket built for a day half expired would keep a whole extra day
 * of stack ids alive in the dictionary. Returns whether it caught up before
 * the budget ran out.
 */
function rollUpStep(dbs: StoreDatabases, host: string, level: number, now: number, cutoff: number, sums: IdCounts, budget: Budget): boolean {
  let stored = dbs.rollups.get(host);
  if (stored === undefined) return true;
  if (stored.length === 0) {
    const initial = initialRolledUntil(dbs, host);
    if (initial === undefined) return true;
    stored = initial;
  }
  const rolledUntil = rolledUntilOf(stored);
  const seconds = LEVEL_SECONDS[level];
  const limit = Math.min(periodStart(now, seconds), periodStart(rolledUntil[level - 1], seconds));
  let built = Math.max(rolledUntil[level], firstPeriodFrom(cutoff, seconds));
  while (built < limit && budget.left > 0) {
    const to = Math.min(limit, built + PERIODS_PER_SCAN * seconds);
    budget.left -= 1 + buildBuckets(dbs, host, level, built, to, sums);
    built = to;
  }
  const updated = [...stored];
  updated[level - 1] = Math.max(built, rolledUntil[level]);
  dbs.rollups.put(host, updated);
  return built >= limit;
}

/**
 * Deletes `host`'s level-`level` buckets that start before `cutoff`: a
 * coarser one straddling the cutoff is never read again (see rollUpStep);
 * returns whether none are left.
 */
function deleteExpiredStep(dbs: StoreDatabases, host: string, level: number, cutoff: number, budget: Budget): boolean {
  const limit = Math.max(budget.left, 0);
  const keys = [...dbs.counts.getKeys({ ...bucketRange(host, level, -MAX_TIME, cutoff), limit })];
  for (const key of keys) removeBucket(dbs, key);
  budget.left -= keys.length;
  return keys.length < limit;
}

/**
 * Brings every level of `host` up to date, finest first, then deletes what
 * expired, coarsest first: a bucket's coarser ones start no later than it
 * does, so they are gone before it is, even when a transaction's budget ends
 * between two levels. Returns whether it finished.
 */
function maintainHostStep(dbs: StoreDatabases, host: string, now: number, cutoff: number, sums: IdCounts, budget: Budget): boolean {
  budget.left--;
  for (let level = 1; level <= COARSEST_LEVEL; level++) {
    if (!rollUpStep(dbs, host, level, now, cutoff, sums, budget)) return false;
  }
  for (let level = COARSEST_LEVEL; level >= 0; level--) {
    if (!deleteExpiredStep(dbs, host, level, cutoff, budget)) return false;
  }
  return true;
}

/**
 * Rolls up and expires every host of `hosts`, in bounded transactions that
 * each carry on where the previous one stopped.
 */
export async function maintainHosts(
  dbs: StoreDatabases,
  commit: Commit,
  hosts: readonly string[],
  now: number,
  cutoff: number,
  sums: IdCounts,
): Promise<void> {
  let next = 0;
  while (next < hosts.length) {
    next = await commit(() => {
      const budget = { left: WORK_PER_TRANSACTION };
      recordExpiredBefore(dbs, cutoff);
      let host = next;
      while (host < hosts.length && budget.left > 0) {
        if (maintainHostStep(dbs, hosts[host], now, cutoff, sums, budget)) host++;
      }
      return host;
    });
  }
}
