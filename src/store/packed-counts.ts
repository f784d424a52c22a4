/**
 * One bucket's counts as bytes: varint total samples, varint number of
 * entries, then per entry one varint `gap * 2 + (count > 1 ? 1 : 0)`, where
 * gap is how many ids were skipped since the previous entry (ids ascending),
 * followed, only when count > 1, by a varint `count - 2`. The total comes
 * first so a timeline reads one varint per bucket; gaps keep ids of a few
 * thousand stacks to about one byte each; and most entries of a collection
 * are stacks sampled once, which then cost that one byte and nothing more.
 */

const TWO_POW_31 = 0x80000000;

let scratch = Buffer.allocUnsafe(64 * 1024);

function writeVarint(bytes: Buffer, position: number, value: number): number {
  let rest = value;
  if (rest < TWO_POW_31) {
    while (rest >= 0x80) {
      bytes[position++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
  } else {
    // Beyond 31 bits bitwise operators truncate; divide instead.
    while (rest >= 0x80) {
      bytes[position++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
  }
  bytes[position++] = rest;
  return position;
}

/**
 * Packs `ids` (strictly ascending, non-negative integers) with their
 * `counts` (positive safe integers, same length).
 */
export function packCounts(ids: ArrayLike<number>, counts: ArrayLike<number>): Buffer {
  if (ids.length !== counts.length) throw new Error('packCounts: ids and counts differ in length');
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const bound = 20 + ids.length * 15;
  if (scratch.length < bound) scratch = Buffer.allocUnsafe(bound * 2);
  let position = writeVarint(scratch, 0, total);
  position = writeVarint(scratch, position, ids.length);
  let previous = -1;
  for (let i = 0; i < ids.length; i++) {
    const gap = ids[i] - previous - 1;
    const count = counts[i];
    position = writeVarint(scratch, position, gap * 2 + (count > 1 ? 1 : 0));
    if (count > 1) position = writeVarint(scratch, position, count - 2);
    previous = ids[i];
  }
  return Buffer.from(scratch.subarray(0, position));
}

/**
 * Entries packUnsorted takes at most: it sorts each entry as one number,
 * id * MAX_UNSORTED + index, exact below 2^53 for every id below 2^32.
 */
export const MAX_UNSORTED = 2 ** 21;

let sortKeys = new Float64Array(0);
let mergedIds = new Uint32Array(0);
let mergedCounts = new Float64Array(0);

/**
 * Packs `ids` in any order with their `counts` (positive safe integers),
 * summing the counts of an id listed more than once: one collection's ids
 * (each stack once) need one numeric sort, not the hash table that sums
 * many buckets (IdCounts). At most MAX_UNSORTED entries.
 */
export function packUnsorted(ids: ArrayLike<number>, counts: ArrayLike<number>): Buffer {
  const entries = ids.length;
  if (entries !== counts.length) throw new Error('packUnsorted: ids and counts differ in length');
  if (entries > MAX_UNSORTED) throw new RangeError(`packUnsorted: ${entries} entries are more than ${MAX_UNSORTED}`);
  if (sortKeys.length < entries) {
    sortKeys = new Float64Array(entries * 2);
    mergedIds = new Uint32Array(entries * 2);
    mergedCounts = new Float64Array(entries * 2);
  }
  const keys = sortKeys.subarray(0, entries);
  for (let i = 0; i < entries; i++) keys[i] = ids[i] * MAX_UNSORTED + i;
  keys.sort();
  let merged = 0;
  for (let i = 0; i < entries; i++) {
    const id = Math.floor(keys[i] / MAX_UNSORTED);
    const count = counts[keys[i] - id * MAX_UNSORTED];
    if (merged > 0 && mergedIds[merged - 1] === id) {
      mergedCounts[merged - 1] += count;
      continue;
    }
    mergedIds[merged] = id;
    mergedCounts[merged++] = count;
  }
  return packCounts(mergedIds.subarray(0, merged), mergedCounts.subarray(0, merged));
}

/** Where the last readVarint stopped: the first byte after the varint it read. */
let cursor = 0;

/**
 * The varint at `position` of `bytes`; the position after it is left in
 * `cursor`. A function and one number rather than a reader object per
 * bucket: V8's optimised code for unpackCounts would check that object's
 * hidden class, which a whole-heap collection frees once no reader is left
 * (between queries), and that code would be thrown away with it.
 */
function readVarint(bytes: Uint8Array, position: number): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (position >= bytes.length) throw new Error('packed counts are truncated');
    const byte = bytes[position++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      cursor = position;
      return value;
    }
    scale *= 0x80;
  }
}

/** The bucket's total samples, reading only the header. */
export function packedTotal(packed: Uint8Array): number {
  return readVarint(packed, 0);
}

/**
 * What unpackCounts hands each (id, count) to: an object with a method, not
 * a closure. Optimised code that calls a closure keeps that very closure
 * (weakly); a reader's closure made per query dies with it, and the next
 * whole-heap collection then discards the code of the hottest loop a query
 * runs. A long-lived kind of object (IdCounts) keeps it valid.
 */
export interface CountSink {
  add(id: number, count: number): void;
}

/** Hands `sink` every (id, count) of the bucket, ids ascending. */
export function unpackCounts(packed: Uint8Array, sink: CountSink): void {
  readVarint(packed, 0);
  const entries = readVarint(packed, cursor);
  let position = cursor;
  let id = -1;
  for (let i = 0; i < entries; i++) {
    // Most heads and counts are one byte (gaps below 64, counts below 130): read in place.
    let head = packed[position];
    if (head < 0x80) position += 1;
    else {
      head = readVarint(packed, position);
      position = cursor;
    }
    // Beyond 31 bits bitwise operators truncate; use arithmetic.
    const countAboveOne = head % 2;
    id += (head - countAboveOne) / 2 + 1;
    let count = 1;
    if (countAboveOne === 1) {
      count = packed[position];
      if (count < 0x80) position += 1;
      else {
        count = readVarint(packed, position);
        position = cursor;
      }
      count += 2;
    }
    // Read back from `position`, not `cursor`: the sink may unpack a bucket of its own.
    sink.add(id, count);
  }
}
