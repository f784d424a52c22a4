import { readFileSync } from 'node:fs';
import { open, type Database, type Key, type RootDatabase } from 'lmdb';
import { shortenDigests } from './digest-upgrade.js';
import { dropStandIns } from './stand-in-upgrade.js';
import { IN_PLACE_ENCODER } from './values-in-place.js';

/** Seconds are stored as plain numbers in keys; this bounds them so ranges stay finite. */
export const MAX_TIME = 1e12;

/**
 * The named databases of one store folder:
 * - stacks: stack id -> stack string (the dictionary, each string once),
 *   LZ4-compressed from 64 bytes on (see stackCompression);
 *   stackBytes is the same database, its values as their UTF-8 bytes
 * - stackIds: the first 16 bytes of sha256(stack) -> stack id (strings can
 *   exceed LMDB's key limit; see DIGEST_BYTES)
 * - counts: [host, level, bucketStart] -> packed counts (see packed-counts.ts);
 *   a rolled-up period without a bucket holds what its finer buckets hold
 *   (see forEachCoveringBucket)
 * - totals: the same keys -> the bucket's total samples, written and deleted
 *   with it, so a timeline reads a few bytes per bucket instead of copying
 *   whole buckets out of the map (touching every page of the counts)
 * - fleet: [level, bucketStart] -> packed counts of every host together
 *   (see fleet-rollup.ts); 'fleetRolledUntil<level>' in meta says how far
 *   they are built
 * - rollups: host -> rolledUntil per level (index = level; [] until first maintained);
 *   its keys are also the hosts that have samples
 * - hosts: host -> HostStatus
 * - meta: 'nextStackId' -> the next id to assign; 'countsFormat' -> STORE_FORMAT;
 *   'expiredBefore' -> the latest retention cutoff maintenance applied (see expiredBefore)
 *   'healthChecks' -> how many health checks wrote (see checkHealth)
 */
export interface StoreDatabases {
  env: RootDatabase;
  stacks: Database<string, number>;
  stackBytes: Database<Buffer, number>;
  stackIds: Database<number, Buffer>;
  counts: Database<Buffer, CountsKey>;
  /** counts again, its range reads handing each value in place (see IN_PLACE_ENCODER): for reads only. */
  countsInPlace: Database<Uint8Array, CountsKey>;
  totals: Database<number, CountsKey>;
  fleet: Database<Buffer, FleetKey>;
  /** fleet again, its range reads handing each value in place (see IN_PLACE_ENCODER): for reads only. */
  fleetInPlace: Database<Uint8Array, FleetKey>;
  rollups: Database<number[], string>;
  hosts: Database<StoredHostStatus, string>;
  meta: Database<number, string>;
}

export type CountsKey = [host: string, level: number, bucketStart: number];

export type FleetKey = [level: number, bucketStart: number];

export interface StoredHostStatus {
  lastSuccess: number | null;
  lastError: { time: number; reason: string } | null;
}

/**
 * Version of the store's layout (the packed counts, since 3 the totals
 * beside them, since 4 no coarse bucket for a period of one finer bucket,
 * where 3 stored an empty stand-in, since 5 compressed stack strings keyed
 * by 16-byte digests): a format-3 or 4 folder is upgraded at open, one
 * holding another format is refused rather than misread. The key keeps its
 * first name, 'countsFormat', which every earlier version reads: one of them
 * refuses a format-5 folder, whose compressed strings it would hand out as
 * they are and whose stacks it would not find.
 */
const STORE_FORMAT = 5;
/** The format whose coarse levels hold stand-ins, upgraded by dropping them (see dropStandIns). */
const STAND_IN_FORMAT = 3;
/** The last format with 32-byte digests, upgraded by shortening them (see shortenDigests); its uncompressed strings read as they are (see stackCompression). */
const LONG_DIGEST_FORMAT = 4;
const STORE_FORMAT_KEY = 'countsFormat';

/**
 * How the dictionary's strings are stored: LZ4 from 64 bytes on (lmdb-js
 * compresses in the write and decompresses in the read, where a value's
 * first byte, 254 or 255, says it is compressed: UTF-8 never starts with
 * either, so a string stored uncompressed by format 4 reads as it is).
 * The stack strings were the store's bulk, all of it resident: in the
 * memory bench's store (6 M stacks over 24 days, a day kept) 88 of the
 * file's 145 MB were the dictionary's 314,000 strings, 54 MB compressed.
 * No shared dictionary: lmdb-js's default one is a file of its package,
 * which a later version could change under values compressed against it;
 * a value compressed without one decompresses whatever dictionary is given.
 */
function stackCompression(): { threshold: number; dictionary: Buffer } {
  return { threshold: 64, dictionary: Buffer.alloc(0) };
}

/**
 * Address space the store's file is mapped into from the start (not disk:
 * without a write map the file grows only with its data). lmdb-js starts
 * with a 128 KB map and, whenever the file outgrows it, maps the file
 * again twice as large, keeping every earlier map until the store closes
 * (lingering read transactions may point into them): pages touched through
 * each counted again in the resident set, which grew to 2-3 times the file
 * (the memory bench: 299 MB of mapped pages over a 118 MB file). A map this
 * size is never outgrown in practice; a store that does is mapped again, as
 * before.
 */
const MAP_BYTES = 64 * 1024 ** 3;

/**
 * The map size for a process whose address space `limitsText` (the text of
 * /proc/self/limits, undefined where there is none) bounds: MAP_BYTES, or a
 * quarter of a lower `ulimit -v`, since a map the limit refuses crashes
 * lmdb-js (a segmentation fault, not an error) and V8 needs address space
 * too. A store outgrowing the smaller map is mapped again, as lmdb-js does.
 */
export function storeMapBytes(limitsText: string | undefined): number {
  const line = limitsText?.split('\n').find((text) => text.startsWith('Max address space'));
  const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
  const limit = soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  if (!(limit < 4 * MAP_BYTES)) return MAP_BYTES;
  const quarter = Math.floor(limit / 4 / MAP_ALIGNMENT) * MAP_ALIGNMENT;
  return Math.max(MAP_ALIGNMENT, quarter);
}

/** Maps are whole megabytes, a multiple of every page size. */
const MAP_ALIGNMENT = 1024 ** 2;

function processLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined; // not Linux: no limit known, the full map is tried
  }
}

/** A second handle of binary database `name` whose range reads hand each value in place (see IN_PLACE_ENCODER). */
function openInPlace<K extends Key>(env: RootDatabase, name: string): Database<Uint8Array, K> {
  // A variable, not a literal: lmdb's types leave out `encoder`, which its README documents among a database's options.
  const options = { name, encoder: IN_PLACE_ENCODER };
  return env.openDB<Uint8Array, K>(options);
}

export function openDatabases(path: string): StoreDatabases {
  // noMetaSync: one flush per commit instead of two. The file stays intact
  // after an OS crash, which may only undo the last commit: a few seconds of
  // samples, a fair price for commits that no longer wait on a second flush.
  // (noSync would risk the whole file, so it stays off.)
  // No event-turn batching: when its commit fails (a full disk), lmdb 3.5
  // rejects a promise of its own that nothing can catch, and Node exits.
  // No noReadAhead (MDB_NORDAHEAD, madvise MADV_RANDOM over the map): the
  // store's pages in the resident set come from the kernel's fault-around,
  // which maps up to 16 already cached pages around each one touched and
  // which MADV_RANDOM leaves on (W3's server over a cached store: 54 MB of
  // mapped store either way). It only stops read-ahead of pages not yet
  // cached (an uncached store: 38 against 49-52 MB), and then reads fault
  // in one page at a time: in 2 of 3 such runs a 24 h /profile/_all passed
  // the 60 s query_timeout, where read-ahead answered within 8 s.
  const env = open({ path, compression: false, noMetaSync: true, eventTurnBatching: false, mapSize: storeMapBytes(processLimits()) });
  const dbs: StoreDatabases = {
    env,
    stacks: env.openDB<string, number>({ name: 'stacks', keyEncoding: 'uint32', encoding: 'string', compression: stackCompression() }),
    // lmdb-js stores a string as its UTF-8 bytes (Buffer.from), so both handles read and write the same values.
    stackBytes: env.openDB<Buffer, number>({ name: 'stacks', keyEncoding: 'uint32', encoding: 'binary', compression: stackCompression() }),
    stackIds: env.openDB<number, Buffer>({ name: 'stackIds', keyEncoding: 'binary' }),
    counts: env.openDB<Buffer, CountsKey>({ name: 'counts', encoding: 'binary' }),
    countsInPlace: openInPlace<CountsKey>(env, 'counts'),
    totals: env.openDB<number, CountsKey>({ name: 'totals' }),
    fleet: env.openDB<Buffer, FleetKey>({ name: 'fleet', encoding: 'binary' }),
    fleetInPlace: openInPlace<FleetKey>(env, 'fleet'),
    rollups: env.openDB<number[], string>({ name: 'rollups' }),
    hosts: env.openDB<StoredHostStatus, string>({ name: 'hosts' }),
    meta: env.openDB<number, string>({ name: 'meta' }),
  };
  const format = dbs.meta.get(STORE_FORMAT_KEY);
  if (format === STORE_FORMAT) return dbs;
  if (format === STAND_IN_FORMAT || format === LONG_DIGEST_FORMAT) {
    if (format === STAND_IN_FORMAT) dropStandIns(dbs);
    shortenDigests(dbs);
    dbs.meta.putSync(STORE_FORMAT_KEY, STORE_FORMAT);
    return dbs;
  }
  const hasCounts = dbs.counts.getKeysCount({ limit: 1 }) > 0;
  if (format !== undefined || hasCounts) {
    env.close();
    throw new Error(
      `store folder ${path} is in format ${format ?? 1}, but this version reads format ${STORE_FORMAT}; ` +
        'move the folder away (it is left untouched) to start a new store',
    );
  }
  dbs.meta.putSync(STORE_FORMAT_KEY, STORE_FORMAT);
  return dbs;
}

/** The keys of `host`'s level-`level` buckets starting in [start, end). */
export function bucketRange(host: string, level: number, start: number, end: number): { start: CountsKey; end: CountsKey } {
  return { start: [host, level, start], end: [host, level, end] };
}

/** The start of `host`'s first level-`level` bucket starting in [start, end), if any. */
export function firstBucketStart(dbs: StoreDatabases, host: string, level: number, start = -MAX_TIME, end = MAX_TIME): number | undefined {
  for (const [, , first] of dbs.counts.getKeys({ ...bucketRange(host, level, start, end), limit: 1 })) return first;
  return undefined;
}

/** The start of `host`'s last bucket at `level` starting in [start, end), the mirror of firstBucketStart. */
export function lastBucketStart(dbs: StoreDatabases, host: string, level: number, start: number, end: number): number | undefined {
  const newestFirst = { start: [host, level, end - 1] as CountsKey, end: [host, level, start - 1] as CountsKey, reverse: true, limit: 1 };
  for (const [, , last] of dbs.counts.getKeys(newestFirst)) return last;
  return undefined;
}

const EXPIRED_BEFORE_KEY = 'expiredBefore';

/**
 * The latest cutoff retention has applied: samples before it may be gone from
 * the finer levels, so no read looks before it, whatever its own retention
 * (a second process on the folder may be configured differently, or the
 * clock may step back).
 */
export function expiredBefore(dbs: StoreDatabases): number {
  return dbs.meta.get(EXPIRED_BEFORE_KEY) ?? -MAX_TIME;
}

/** Records `cutoff` before retention deletes up to it, in the same transaction. */
export function recordExpiredBefore(dbs: StoreDatabases, cutoff: number): void {
  if (cutoff > expiredBefore(dbs)) dbs.meta.put(EXPIRED_BEFORE_KEY, cutoff);
}
