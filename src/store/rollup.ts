import { bucketTotal, putBucket, removeBucket } from './bucket-writes.js';
import type { IdCounts } from './id-counts.js';
import { bucketRange, firstBucketStart, MAX_TIME, recordExpiredBefore, type StoreDatabases } from './layout.js';
import { COARSEST_LEVEL, LEVEL_SECONDS, periodStart } from './levels.js';
import type { Commit } from './commit.js';
import { keepStandInAbove, resolveBucket, SAME_AS_ONLY_FINER } from './resolve-bucket.js';

/**
 * Work per maintenance transaction: finer buckets summed plus expired keys
 * deleted plus hosts visited. One transaction covers as many hosts as fit,
 * so a fleet is maintained in a few commits, yet a catch-up never holds the
 * writer for long.
 */
const WORK_PER_TRANSACTION = 2000;

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

/** Writes the level-`level` bucket of `period` from the finer buckets inside it; returns how many it read. */
function buildBucket(dbs: StoreDatabases, host: string, level: number, period: number, sums: IdCounts): number {
  const seconds = LEVEL_SECONDS[level];
  const finer = [...dbs.counts.getRange(bucketRange(host, level - 1, period, period + seconds))];
  if (finer.length === 1) {
    putBucket(dbs, [host, level, period], SAME_AS_ONLY_FINER, bucketTotal(dbs, finer[0].key));
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
 * Builds `host`'s level-`level` buckets for every period that has ended by
 * `now` and whose finer data is complete, skipping periods that retention
 * (`cutoff`) is about to delete. Returns whether it caught up before the
 * budget ran out.
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
  let built = Math.max(rolledUntil[level], periodStart(cutoff, seconds));
  while (built < limit && budget.left > 0) {
    const nextFiner = firstBucketStart(dbs, host, level - 1, built, limit);
    if (nextFiner === undefined) {
      built = limit;
      break;
    }
    const period = periodStart(nextFiner, seconds);
    budget.left -= buildBucket(dbs, host, level, period, sums);
    built = period + seconds;
  }
  const updated = [...stored];
  updated[level - 1] = Math.max(built, rolledUntil[level]);
  dbs.rollups.put(host, updated);
  return built >= limit;
}

/**
 * Deletes `host`'s level-`level` buckets whose period ended at or before
 * `cutoff`, first giving a coarser stand-in for one of them its own counts;
 * returns whether none are left.
 */
function deleteExpiredStep(dbs: StoreDatabases, host: string, level: number, cutoff: number, budget: Budget): boolean {
  const limit = Math.max(budget.left, 0);
  const range = bucketRange(host, level, -MAX_TIME, cutoff - LEVEL_SECONDS[level] + 1);
  const keys = [...dbs.counts.getKeys({ ...range, limit })];
  for (const key of keys) {
    if (keepStandInAbove(dbs, host, level, key[2])) budget.left--;
    removeBucket(dbs, key);
  }
  budget.left -= keys.length;
  return keys.length < limit;
}

/** Brings every level of `host` up to date, finest first, then deletes what expired; returns whether it finished. */
function maintainHostStep(dbs: StoreDatabases, host: string, now: number, cutoff: number, sums: IdCounts, budget: Budget): boolean {
  budget.left--;
  for (let level = 1; level <= COARSEST_LEVEL; level++) {
    if (!rollUpStep(dbs, host, level, now, cutoff, sums, budget)) return false;
  }
  for (let level = 0; level <= COARSEST_LEVEL; level++) {
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
