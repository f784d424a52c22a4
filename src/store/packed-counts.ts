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

class VarintReader {
  position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  next(): number {
    const bytes = this.bytes;
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.position >= bytes.length) throw new Error('packed counts are truncated');
      const byte = bytes[this.position++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }
}

/** The bucket's total samples, reading only the header. */
export function packedTotal(packed: Uint8Array): number {
  return new VarintReader(packed).next();
}

/** Calls `visit` with every (id, count) of the bucket, ids ascending. */
export function unpackCounts(packed: Uint8Array, visit: (id: number, count: number) => void): void {
  const reader = new VarintReader(packed);
  reader.next();
  const entries = reader.next();
  let id = -1;
  for (let i = 0; i < entries; i++) {
    const head = reader.next();
    // Beyond 31 bits bitwise operators truncate; use arithmetic.
    const countAboveOne = head % 2;
    id += (head - countAboveOne) / 2 + 1;
    visit(id, countAboveOne === 1 ? reader.next() + 2 : 1);
  }
}
