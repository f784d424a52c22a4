import { bucketRange, type StoreDatabases } from './layout.js';
import { LEVEL_SECONDS } from './levels.js';
import { forEachValueInPlace } from './values-in-place.js';

/**
 * Reads one level of `host`'s buckets over [start, end): calls `visit` with
 * the start and value of every stored bucket starting there, in order.
 */
export type LevelScan<V> = (level: number, start: number, end: number, visit: (bucketStart: number, value: V) => void) => void;

/**
 * Visits every bucket that together hold `host`'s samples in [start, end)
 * (whole level-`level` periods, rolled up) exactly once. A coarse period
 * without a bucket of its own holds what its finer buckets hold: rollups
 * store no copy of a period made of a single finer bucket (with one
 * collection a minute, every minute would copy its one second), and a late
 * write adds itself only to the coarse buckets that exist. So each run of
 * adjacent periods missing at one level is read one level down, in one scan
 * per run: no extra scan where every period has its bucket.
 */
export function forEachCoveringBucket<V>(scan: LevelScan<V>, level: number, start: number, end: number, visit: (bucketStart: number, value: V) => void): void {
  let runs: Array<[start: number, end: number]> = [[start, end]];
  for (let finer = level; runs.length > 0; finer--) {
    if (finer === 0) {
      // The finest level has no finer one: a second without a bucket holds no samples.
      for (const [runStart, runEnd] of runs) scan(0, runStart, runEnd, visit);
      return;
    }
    const seconds = LEVEL_SECONDS[finer];
    const missing: Array<[start: number, end: number]> = [];
    for (const [runStart, runEnd] of runs) {
      let covered = runStart;
      scan(finer, runStart, runEnd, (bucketStart, value) => {
        if (bucketStart > covered) missing.push([covered, bucketStart]);
        covered = bucketStart + seconds;
        visit(bucketStart, value);
      });
      if (covered < runEnd) missing.push([covered, runEnd]);
    }
    runs = missing;
  }
}

/** A LevelScan of `host`'s packed counts, each value a view that holds only during its visit (see forEachValueInPlace). */
function countsScan(dbs: StoreDatabases, host: string): LevelScan<Uint8Array> {
  return (level, start, end, visit) => forEachValueInPlace(dbs.countsInPlace, bucketRange(host, level, start, end), (value, key) => visit(key[2], value));
}

/** A LevelScan of `host`'s bucket keys only: each bucket's value is its level. */
export function levelsScan(dbs: StoreDatabases, host: string): LevelScan<number> {
  return (level, start, end, visit) => {
    for (const key of dbs.counts.getKeys(bucketRange(host, level, start, end))) visit(key[2], level);
  };
}

/** A LevelScan of `host`'s bucket totals. */
export function totalsScan(dbs: StoreDatabases, host: string): LevelScan<number> {
  return (level, start, end, visit) => {
    for (const { key, value } of dbs.totals.getRange(bucketRange(host, level, start, end))) visit(key[2], value);
  };
}

/** Visits the packed counts of `host`'s buckets covering level-`level` periods [start, end) (see forEachCoveringBucket). */
export function forEachPackedBucket(dbs: StoreDatabases, host: string, level: number, start: number, end: number, visit: (packed: Uint8Array) => void): void {
  forEachCoveringBucket(countsScan(dbs, host), level, start, end, (_, packed) => visit(packed));
}
