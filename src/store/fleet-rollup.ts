import { ByteArena } from './byte-arena.js';
import type { Commit } from './commit.js';
import type { IdCounts } from './id-counts.js';
import { bucketRange, MAX_TIME, type FleetKey, type StoreDatabases } from './layout.js';
import { firstPeriodFrom, LEVEL_SECONDS, periodStart } from './levels.js';
import type { RangePiece } from './plan-range.js';
import { planRange } from './plan-range.js';
import { rolledUntilOf } from './rollup.js';
import { forEachValueInPlace } from './values-in-place.js';

/**
 * Fleet buckets: per coarse level and period, the sum over every host of
 * every sample stamped inside that period, so a read of all hosts costs a
 * few buckets over the middle of its range instead of a few per host.
 *
 * Invariant, for every fleet level L and period P < fleetRolledUntil[L]:
 * fleet bucket (L, P) holds the sum of all hosts' samples in P (no bucket
 * when there are none). Maintenance builds a minute once every host has
 * built its own bucket of it, and an hour or a day once the fleet has built
 * every finer period of it; a write into a built period adds itself to the fleet bucket
 * in its own transaction; forgetting a host resets the fleet (its buckets are
 * rebuilt by later maintenance, reads go host by host until then). Reads
 * never use a bucket starting before the horizon, where finer data may be
 * gone, so maintenance neither builds nor keeps one that starts before
 * retention's cutoff.
 */
export const FLEET_LEVELS: readonly number[] = [1, 2, 3];

const rolledUntilKey = (level: number): string => `fleetRolledUntil${level}`;

/** fleetRolledUntil per level, for planRange: level 0 is never built for the fleet. */
export function fleetRolledUntil(dbs: StoreDatabases): number[] {
  const rolledUntil = LEVEL_SECONDS.map(() => -Infinity);
  for (const level of FLEET_LEVELS) rolledUntil[level] = dbs.meta.get(rolledUntilKey(level)) ?? -Infinity;
  return rolledUntil;
}

/** Forgets every fleet bucket (inside the caller's transaction): no read uses one until maintenance rebuilt it. */
export function resetFleet(dbs: StoreDatabases): void {
  for (const level of FLEET_LEVELS) dbs.meta.remove(rolledUntilKey(level));
}

/**
 * Adds a write stamped `second`, packed as one bucket, to the fleet buckets
 * already built for its periods (inside the write's transaction, whose
 * fleetRolledUntil is `rolledUntil`).
 */
export function addToFleet(dbs: StoreDatabases, second: number, packed: Buffer, sums: IdCounts, rolledUntil: readonly number[]): void {
  for (const level of FLEET_LEVELS) {
    if (second >= rolledUntil[level]) continue;
    const key: FleetKey = [level, periodStart(second, LEVEL_SECONDS[level])];
    const existing = dbs.fleet.get(key);
    if (existing === undefined) {
      dbs.fleet.put(key, packed);
      continue;
    }
    sums.clear();
    sums.addPacked(existing);
    sums.addPacked(packed);
    dbs.fleet.put(key, sums.pack());
  }
}

/**
 * The pieces of [start, end) a read of every host takes from fleet buckets,
 * and the intervals left, which it reads host by host.
 */
export function planFleetRead(dbs: StoreDatabases, start: number, end: number): { fleet: RangePiece[]; rest: Array<[start: number, end: number]> } {
  const fleet = planRange(start, end, fleetRolledUntil(dbs)).filter((piece) => FLEET_LEVELS.includes(piece.level));
  const rest: Array<[number, number]> = [];
  let covered = start;
  for (const piece of fleet) {
    if (piece.start > covered) rest.push([covered, piece.start]);
    covered = piece.end;
  }
  if (covered < end) rest.push([covered, end]);
  return { fleet, rest };
}

/** Visits the packed counts of the fleet buckets of `piece`, each only during its visit (see forEachValueInPlace). */
export function forEachFleetBucket(dbs: StoreDatabases, piece: RangePiece, visit: (packed: Uint8Array) => void): void {
  forEachValueInPlace(dbs.fleetInPlace, { start: [piece.level, piece.start], end: [piece.level, piece.end] }, visit);
}

/** Where fleet level `level` may be built up to: every input of its periods before it is complete. */
function buildLimit(dbs: StoreDatabases, level: number, now: number, rolledUntil: readonly number[]): number {
  const seconds = LEVEL_SECONDS[level];
  let limit = periodStart(now, seconds);
  if (level === FLEET_LEVELS[0]) {
    for (const stored of dbs.rollups.getRange()) {
      limit = Math.min(limit, periodStart(rolledUntilOf(stored.value)[level], seconds));
    }
  } else {
    limit = Math.min(limit, periodStart(rolledUntil[level - 1], seconds));
  }
  return limit;
}

/** Minutes of host data one maintenance transaction sums into fleet minutes: each host's seconds are read in one scan. */
const FLEET_MINUTES_PER_BUILD = 60;

/** Puts the sum of `packed` as fleet bucket `key`, or deletes the bucket (a reset fleet may have left one) when there is nothing. */
function putFleetBucket(dbs: StoreDatabases, key: FleetKey, packed: readonly Uint8Array[], sums: IdCounts): void {
  if (packed.length === 0) {
    dbs.fleet.remove(key);
    return;
  }
  sums.clear();
  for (const bucket of packed) sums.addPacked(bucket);
  dbs.fleet.put(key, sums.pack());
}

/**
 * The fleet minutes of [from, to) (whole minutes) from every host's level-0
 * buckets, which hold each of its samples once for as long as retention keeps
 * it; returns how many buckets it read. Level 0 rather than the hosts'
 * minutes: with one collection a minute a host's minute only points to its one
 * second, so one ordered scan of the seconds reads each bucket once, where the
 * minutes took two scans and two lookups per bucket.
 */
function buildFleetMinutes(dbs: StoreDatabases, hosts: readonly string[], from: number, to: number, sums: IdCounts, arena: ByteArena): number {
  const seconds = LEVEL_SECONDS[FLEET_LEVELS[0]];
  // Each bucket read in place and copied into one arena until the minutes are summed: a buffer each was most of the build's garbage.
  arena.clear();
  const byMinute = Array.from({ length: (to - from) / seconds }, (): number[] => []);
  let read = 0;
  for (const host of hosts) {
    forEachValueInPlace(dbs.countsInPlace, bucketRange(host, 0, from, to), (value, key) => {
      byMinute[(periodStart(key[2], seconds) - from) / seconds].push(arena.add(value));
      read++;
    });
  }
  byMinute.forEach((buckets, minute) => putFleetBucket(dbs, [FLEET_LEVELS[0], from + minute * seconds], buckets.map((index) => arena.get(index)), sums));
  return read + hosts.length;
}

/** The fleet bucket of (`level`, `period`) from the fleet's finer ones; returns how many buckets it read. */
function buildFleetBucket(dbs: StoreDatabases, level: number, period: number, sums: IdCounts): number {
  const finer = Array.from(dbs.fleet.getRange({ start: [level - 1, period], end: [level - 1, period + LEVEL_SECONDS[level]] }), ({ value }): Uint8Array => value);
  putFleetBucket(dbs, [level, period], finer, sums);
  return finer.length + 1;
}

/** Builds what it can of every fleet level from `cutoff` on, then deletes the fleet buckets starting before it; returns whether it finished. */
function maintainFleetStep(dbs: StoreDatabases, now: number, cutoff: number, sums: IdCounts, arena: ByteArena, budget: { left: number }): boolean {
  const hosts = [...dbs.rollups.getKeys()];
  const rolledUntil = fleetRolledUntil(dbs);
  for (const level of FLEET_LEVELS) {
    const seconds = LEVEL_SECONDS[level];
    const limit = buildLimit(dbs, level, now, rolledUntil);
    let built = Math.max(rolledUntil[level], firstPeriodFrom(cutoff, seconds));
    while (built < limit && budget.left > 0) {
      if (level === FLEET_LEVELS[0]) {
        const to = Math.min(limit, built + FLEET_MINUTES_PER_BUILD * seconds);
        budget.left -= buildFleetMinutes(dbs, hosts, built, to, sums, arena);
        built = to;
      } else {
        budget.left -= buildFleetBucket(dbs, level, built, sums);
        built += seconds;
      }
    }
    if (built > rolledUntil[level]) {
      rolledUntil[level] = built;
      dbs.meta.put(rolledUntilKey(level), built);
    }
    if (built < limit) return false;
  }
  for (const level of FLEET_LEVELS) {
    const limit = Math.max(budget.left, 0);
    const keys = [...dbs.fleet.getKeys({ start: [level, -MAX_TIME], end: [level, cutoff], limit })];
    for (const key of keys) dbs.fleet.remove(key);
    budget.left -= keys.length;
    if (keys.length === limit) return false;
  }
  return true;
}

/** Brings the fleet buckets up to date, in bounded transactions; call after the hosts' own maintenance. */
export async function maintainFleet(commit: Commit, dbs: StoreDatabases, now: number, cutoff: number, sums: IdCounts, workPerTransaction: number): Promise<void> {
  // One arena for every build of this maintenance: grown anew for each, doubling up to a thousand hosts' hour of seconds
  // (~5 MB), it allocated some 16 MB of buffers per hour built, memory V8 counts as external and collects for.
  const arena = new ByteArena();
  let done = false;
  while (!done) done = await commit(() => maintainFleetStep(dbs, now, cutoff, sums, arena, { left: workPerTransaction }));
}
