import type { Database } from 'lmdb';
import type { CountsKey, StoreDatabases } from './layout.js';
import { packedTotal } from './packed-counts.js';

/** Stores a bucket and its total together (inside the caller's transaction). */
export function putBucket(dbs: StoreDatabases, key: CountsKey, packed: Buffer): void {
  dbs.counts.put(key, packed);
  dbs.totals.put(key, packedTotal(packed));
}

/**
 * Stores a bucket and its total unless the bucket exists (inside the
 * caller's transaction); returns whether it stored them. One B-tree descent
 * where looking first and then putting took two.
 */
export function createBucket(dbs: StoreDatabases, key: CountsKey, packed: Buffer): boolean {
  if (!putIfAbsent(dbs.counts, key, packed)) return false;
  dbs.totals.put(key, packedTotal(packed));
  return true;
}

/** Deletes a bucket and its total together (inside the caller's transaction). */
export function removeBucket(dbs: StoreDatabases, key: CountsKey): void {
  dbs.counts.remove(key);
  dbs.totals.remove(key);
}

/** The stored total of bucket `key`, which must exist. */
export function bucketTotal(dbs: StoreDatabases, key: CountsKey): number {
  const total = dbs.totals.get(key);
  if (total === undefined) throw new Error(`store is corrupt: bucket ${key.join(' ')} has no total`);
  return total;
}

type ConditionalPutSync = (this: Database<Buffer, CountsKey>, key: CountsKey, value: Buffer, options: { noOverwrite: true }) => unknown;
const NO_OVERWRITE = { noOverwrite: true } as const;

/**
 * Puts `value` under `key` unless the key exists, inside the caller's write
 * transaction; returns whether it put. lmdb-js's putSync answers exactly that
 * for a conditional put (MDB_NOOVERWRITE) in a transaction, though its types
 * say void.
 */
function putIfAbsent(db: Database<Buffer, CountsKey>, key: CountsKey, value: Buffer): boolean {
  const put: unknown = (db.putSync as ConditionalPutSync).call(db, key, value, NO_OVERWRITE);
  if (typeof put !== 'boolean') throw new Error('lmdb putSync no longer says whether a conditional put wrote');
  return put;
}
