import type { Database, Key, RangeOptions } from 'lmdb';

/**
 * Visits the value of every key of `db` in `range`, each a view that holds
 * only until the next read of this thread (visit must not read the store,
 * nor keep the bytes). getRange copies every binary value into a buffer of
 * its own: a query summing a day of buckets allocated megabytes of them,
 * which V8 counts as external memory and frees late, so a thread answering
 * queries back to back held tens of MB of dead buckets between collections.
 */
export function forEachValueInPlace<K extends Key>(db: Database<Buffer, K>, range: RangeOptions, visit: (value: Uint8Array, key: K) => void): void {
  for (const key of db.getKeys(range)) {
    visit(valueInPlace(db, key)!, key);
  }
}

/** The value of `key` in `db`, if any, as a view that holds only until the next read of this thread (see forEachValueInPlace): no copy. */
export function valueInPlace<K extends Key>(db: Database<Buffer, K>, key: K): Uint8Array | undefined {
  const bytes = db.getBinaryFast(key);
  // lmdb's reused buffer only pretends to be `length` long: a view of exactly the value's bytes, copied or not.
  return bytes === undefined ? undefined : bytes.subarray(0, bytes.length);
}
