import { open, type Database, type RootDatabase } from 'lmdb';

/** Seconds are stored as plain numbers in keys; this bounds them so ranges stay finite. */
export const MAX_TIME = 1e12;

/**
 * The named databases of one store folder:
 * - stacks: stack id -> stack string (the dictionary, each string once)
 * - stackIds: sha256(stack) -> stack id (strings can exceed LMDB's key limit)
 * - counts: [host, level, bucketStart] -> packed counts (see packed-counts.ts)
 * - rollups: host -> rolledUntil per level (index = level; [] until first maintained);
 *   its keys are also the hosts that have samples
 * - hosts: host -> HostStatus
 * - meta: 'nextStackId' -> the next id to assign
 */
export interface StoreDatabases {
  env: RootDatabase;
  stacks: Database<string, number>;
  stackIds: Database<number, Buffer>;
  counts: Database<Buffer, CountsKey>;
  rollups: Database<number[], string>;
  hosts: Database<StoredHostStatus, string>;
  meta: Database<number, string>;
}

export type CountsKey = [host: string, level: number, bucketStart: number];

export interface StoredHostStatus {
  lastSuccess: number | null;
  lastError: { time: number; reason: string } | null;
}

export function openDatabases(path: string): StoreDatabases {
  // noMetaSync: one flush per commit instead of two. The file stays intact
  // after an OS crash, which may only undo the last commit: a few seconds of
  // samples, a fair price for commits that no longer wait on a second flush.
  // (noSync would risk the whole file, so it stays off.)
  const env = open({ path, compression: false, noMetaSync: true });
  return {
    env,
    stacks: env.openDB<string, number>({ name: 'stacks', keyEncoding: 'uint32', encoding: 'string' }),
    stackIds: env.openDB<number, Buffer>({ name: 'stackIds', keyEncoding: 'binary' }),
    counts: env.openDB<Buffer, CountsKey>({ name: 'counts', encoding: 'binary' }),
    rollups: env.openDB<number[], string>({ name: 'rollups' }),
    hosts: env.openDB<StoredHostStatus, string>({ name: 'hosts' }),
    meta: env.openDB<number, string>({ name: 'meta' }),
  };
}

/** The keys of `host`'s level-`level` buckets starting in [start, end). */
export function bucketRange(host: string, level: number, start: number, end: number): { start: CountsKey; end: CountsKey } {
  return { start: [host, level, start], end: [host, level, end] };
}
