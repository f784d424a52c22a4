import type { Database, Key, RangeOptions } from 'lmdb';

/**
 * The encoder of a database handle whose reads hand each binary value in
 * place: lmdb-js passes a custom decoder its reused value buffer (or a view
 * of the map) with the value's size, where the 'binary' encoding copies every
 * value of a range into a buffer of its own. Each value is a view that holds
 * only until the next read of this thread. Read-only: a write through such a
 * handle stores the bytes it is given, as 'binary' would.
 */
export const IN_PLACE_ENCODER = {
  encode: (value: Uint8Array): Uint8Array => value,
  decode: (bytes: Uint8Array, size: number): Uint8Array => new Uint8Array(bytes.buffer, bytes.byteOffset, size),
};

/**
 * Visits the value of every key of `db` (a handle opened with
 * IN_PLACE_ENCODER) in `range`, each a view that holds only until the next
 * read of this thread (visit must not read the store, nor keep the bytes):
 * one cursor step per value. getRange through a 'binary' handle copies
 * every value into a buffer of its own: a query summing a day of buckets
 * allocated megabytes of them, which V8 counts as external memory and frees
 * late, so a thread answering queries back to back held tens of MB of dead
 * buckets between collections.
 */
export function forEachValueInPlace<K extends Key>(db: Database<Uint8Array, K>, range: RangeOptions, visit: (value: Uint8Array, key: K) => void): void {
  for (const { key, value } of db.getRange(range)) visit(value, key);
}

/** The value of `key` in `db`, if any, as a view that holds only until the next read of this thread (see forEachValueInPlace): no copy. */
export function valueInPlace<K extends Key>(db: Database<Buffer, K>, key: K): Uint8Array | undefined {
  const bytes = db.getBinaryFast(key);
  // lmdb's reused buffer only pretends to be `length` long: a view of exactly the value's bytes, copied or not.
  return bytes === undefined ? undefined : bytes.subarray(0, bytes.length);
}
