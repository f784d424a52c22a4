import { bucketTotal, putBucket, removeBucket } from './bucket-writes.js';
import type { IdCounts } from './id-counts.js';
import { bucketRange, firstBucketStart, MAX_TIME, recordExpiredBefore, type CountsKey, type StoreDatabases } from './layout.js';
import { packedTotal } from './packed-counts.js';
import { COARSEST_LEVEL, firstPeriodFrom, LEVEL_SECONDS, periodStart } from './levels.js';
import type { Commit } from './commit.js';
import { resolveBucket, SAME_AS_ONLY_FINER } from './resolve-bucket.js';

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

/** A stored bucket, as a range read yields it. */
interface StoredBucket {
  key: CountsKey;
  value: Uint8Array;
}

/**
 * Writes the level-`level` bucket of `period` from `finer`, every finer
 * bucket inside it (at least one); returns how many buckets it read.
 */
function buildBucket(dbs: StoreDatabases, host: string, level: number, period: number, finer: readonly StoredBucket[], sums: IdCounts): number {
  const seconds = LEVEL_SECONDS[level];
  if (finer.length === 1) {
    const only = finer[0];
    putBucket(dbs, [host, level, period], SAME_AS_ONLY_FINER, only.value.length > 0 ? packedTotal(only.value) : bucketTotal(dbs, only.key));
    return 1;
  }
  sums.clear();
  const standIns = new Set<number>();
  for (const { key, value } of finer) {
    if (value.length === 0) standIns.add(key[2]);
    else sums.addPacked(value);
  }
  let read = finer.length;
  if (standIns.size > 0) {
    // One scan two levels down replaces a lookup per stand-in (all of them, with one collection a minute).
    for (const { key, value } of dbs.counts.getRange(bucketRange(host, level - 2, period, period + seconds))) {
      read++;
      if (standIns.has(periodStart(key[2], LEVEL_SECONDS[level - 1]))) sums.addPacked(resolveBucket(dbs, host, level - 2, key[2], value));
    }
  }
  putBucket(dbs, [host, level, period], sums.pack());
  return read;
}

/**
 * `host`'s level-`level - 1` buckets from `start` to before `limit`, read in
 * one scan of at most about `budget` buckets, grouped by their level-`level`
 * period; the last period is whole (read again alone when the scan cut it).
 * Returns the groups and where the next scan starts.
 */
function finerByPeriod(dbs: StoreDatabases, host: string, level: number, start: number, limit: number, budget: number): { groups: StoredBucket[][]; next: number } {
  const seconds = LEVEL_SECONDS[level];
  const scanned = Math.max(budget, 1) + 1;
  const finer: StoredBucket[] = [...dbs.counts.getRange({ ...bucketRange(host, level - 1, start, limit), limit: scanned })];
  if (finer.length === 0) return { groups: [], next: limit };
  let next = limit;
  if (finer.length === scanned) {
    // The scan stopped early: its last period may be cut, so it waits for the next scan ...
    next = periodStart(finer[finer.length - 1].key[2], seconds);
    while (finer.length > 0 && finer[finer.length - 1].key[2] >= next) finer.pop();
    // ... unless it was the only one: then that period is read whole.
    if (finer.length === 0) {
      finer.push(...dbs.counts.getRange(bucketRange(host, level - 1, next, next + seconds)));
      next += seconds;
    }
  }
  const groups: StoredBucket[][] = [];
  let period = NaN;
  for (const bucket of finer) {
    const bucketPeriod = periodStart(bucket.key[2], seconds);
    if (bucketPeriod !== period) groups.push([]);
    period = bucketPeriod;
    groups[groups.length - 1].push(bucket);
  }
  return { groups, next };
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
    // The scan ends before anything is written: no cursor is open across a put.
    const { groups, next } = finerByPeriod(dbs, host, level, built, limit, budget.left);
    let group = 0;
    for (; group < groups.length && budget.left > 0; group++) {
      const period = periodStart(groups[group][0].key[2], seconds);
      budget.left -= buildBucket(dbs, host, level, period, groups[group], sums);
      built = period + seconds;
    }
    if (group === groups.length) built = next;
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
 * does, so they are gone before it is, and a stand-in (SAME_AS_ONLY_FINER)
 * never outlives the finer bucket it stands for, even when a transaction's
 * budget ends between two levels. Returns whether it finished.
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
