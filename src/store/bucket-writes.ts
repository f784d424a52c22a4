import type { CountsKey, StoreDatabases } from './layout.js';
import { packedTotal } from './packed-counts.js';

/** Stores a bucket and its total together (inside the caller's transaction). */
export function putBucket(dbs: StoreDatabases, key: CountsKey, packed: Buffer): void {
  dbs.counts.put(key, packed);
  dbs.totals.put(key, packedTotal(packed));
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
