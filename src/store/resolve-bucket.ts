import { bucketRange, type StoreDatabases } from './layout.js';
import { LEVEL_SECONDS } from './levels.js';
import { forEachValueInPlace } from './values-in-place.js';

/**
 * The value stored for a coarse bucket whose period holds exactly one finer
 * bucket: that bucket already is the sum, so it is not stored twice (with one
 * collection a minute, level 1 would otherwise copy level 0). A stand-in never
 * outlives that bucket: retention deletes coarser levels first (see
 * maintainHostStep in rollup.ts).
 */
export const SAME_AS_ONLY_FINER: Buffer = Buffer.alloc(0);

/** The packed counts of `host`'s bucket (`level`, `start`) whose stored value is `stored`. */
export function resolveBucket(dbs: StoreDatabases, host: string, level: number, start: number, stored: Uint8Array): Uint8Array {
  let packed = stored;
  let finerLevel = level - 1;
  let periodStart = start;
  while (packed.length === 0) {
    const range = bucketRange(host, finerLevel, periodStart, periodStart + LEVEL_SECONDS[finerLevel + 1]);
    const [only] = dbs.counts.getRange({ ...range, limit: 1 });
    if (only === undefined) throw new Error(`store is corrupt: bucket ${host} level ${finerLevel + 1} at ${periodStart} has no finer data`);
    packed = only.value;
    periodStart = only.key[2];
    finerLevel--;
  }
  return packed;
}

/**
 * Visits the packed counts of every bucket of `host` at `level` starting in
 * [start, end), stand-ins resolved: the finer buckets behind a run of
 * adjacent stand-ins are read in one scan per run, not one per stand-in (with
 * one collection a minute every minute bucket is one). Each bucket's bytes
 * hold only during its visit (see forEachValueInPlace).
 */
export function forEachPackedBucket(dbs: StoreDatabases, host: string, level: number, start: number, end: number, visit: (packed: Uint8Array) => void): void {
  let runs: Array<[start: number, end: number]> = [[start, end]];
  for (let finerLevel = level; runs.length > 0; finerLevel--) {
    if (finerLevel < 0) throw new Error(`store is corrupt: a bucket of ${host} at level ${level} stands in for no data`);
    const standIns: Array<[start: number, end: number]> = [];
    for (const [runStart, runEnd] of runs) {
      forEachValueInPlace(dbs.counts, bucketRange(host, finerLevel, runStart, runEnd), (value, key) => {
        if (value.length > 0) {
          visit(value);
          return;
        }
        const last = standIns[standIns.length - 1];
        const periodEnd = key[2] + LEVEL_SECONDS[finerLevel];
        if (last !== undefined && last[1] === key[2]) last[1] = periodEnd;
        else standIns.push([key[2], periodEnd]);
      });
    }
    runs = standIns;
  }
}
