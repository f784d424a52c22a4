import { packCounts, unpackCounts, type CountSink } from './packed-counts.js';

/** Marks a free slot; no stack id reaches it (ids count up from 0 and stay below 2^32 - 1). */
const EMPTY = 0xffffffff;
const INITIAL_SLOTS = 1024;
/** clear() gives back a table this many times larger than the ids it last held, so one big read does not pin its memory. */
const SHRINK_FACTOR = 8;
/** pack() orders ids by a bitmap when their span is below this many ids per id held (see orderByBitmap), else by a sort. */
const IDS_PER_BITMAP_BIT = 32;

/**
 * Sums of counts per stack id, in an open-addressing hash table (linear
 * probing, at most half full): summing thousands of buckets stays arithmetic,
 * with no strings and no allocation, and memory follows the ids touched, not
 * the largest id the store ever gave.
 */
export class IdCounts implements CountSink {
  private keys = new Uint32Array(INITIAL_SLOTS).fill(EMPTY);
  private sums = new Float64Array(INITIAL_SLOTS);
  /** The slots in use, in the order they were taken: iteration and clear() cost the ids touched. */
  private used = new Uint32Array(INITIAL_SLOTS >> 1);
  private filled = 0;
  private shift = hashShift(INITIAL_SLOTS);
  /** pack()'s ids and counts, kept between calls so packing allocates only its result. */
  private sortedIds = new Uint32Array(0);
  private sortedCounts = new Float64Array(0);
  /** pack()'s bitmap of the ids' span (see orderByBitmap), kept between calls. */
  private bitmap = new Int32Array(0);

  /** Ids added since the last clear(). */
  get size(): number {
    return this.filled;
  }

  /** `count` must be positive. */
  add(id: number, count: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    // Fibonacci hashing: consecutive ids (the common case) land far apart.
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const key = keys[slot];
      if (key === id) {
        this.sums[slot] += count;
        return;
      }
      if (key === EMPTY) break;
      slot = (slot + 1) & mask;
    }
    if (this.filled === this.used.length) {
      this.grow();
      this.add(id, count);
      return;
    }
    keys[slot] = id;
    this.sums[slot] = count;
    this.used[this.filled++] = slot;
  }

  addPacked(packed: Uint8Array): void {
    unpackCounts(packed, this);
  }

  /** Visits every id added since the last clear(), in no particular order. */
  forEach(visit: (id: number, count: number) => void): void {
    for (let i = 0; i < this.filled; i++) {
      const slot = this.used[i];
      visit(this.keys[slot], this.sums[slot]);
    }
  }

  idAt(index: number): number {
    return this.keys[this.used[index]];
  }

  countAt(index: number): number {
    return this.sums[this.used[index]];
  }

  pack(): Buffer {
    if (this.sortedIds.length < this.filled) {
      this.sortedIds = new Uint32Array(this.used.length);
      this.sortedCounts = new Float64Array(this.used.length);
    }
    const ids = this.sortedIds.subarray(0, this.filled);
    let lowest = EMPTY;
    let highest = 0;
    for (let i = 0; i < this.filled; i++) {
      const id = this.keys[this.used[i]];
      ids[i] = id;
      if (id < lowest) lowest = id;
      if (id > highest) highest = id;
    }
    // Ids close together (a rollup's, from one dictionary) are ordered by a bitmap of their span, in linear time; others by a sort.
    if (this.filled > 0 && highest - lowest < this.filled * IDS_PER_BITMAP_BIT) this.orderByBitmap(ids, lowest, highest - lowest + 1);
    else ids.sort();
    const counts = this.sortedCounts.subarray(0, this.filled);
    for (let i = 0; i < ids.length; i++) counts[i] = this.sums[this.slotOf(ids[i])];
    return packCounts(ids, counts);
  }

  /** Empties the sums in time proportional to the ids touched, so one instance serves many buckets. */
  clear(): void {
    if (this.keys.length > INITIAL_SLOTS && this.keys.length > this.filled * 2 * SHRINK_FACTOR) {
      this.resize(INITIAL_SLOTS);
      this.sortedIds = new Uint32Array(0);
      this.sortedCounts = new Float64Array(0);
      this.bitmap = new Int32Array(0);
      return;
    }
    for (let i = 0; i < this.filled; i++) this.keys[this.used[i]] = EMPTY;
    this.filled = 0;
  }

  /**
   * Puts `ids` (distinct, each in [lowest, lowest + span)) in ascending
   * order: one bit per id of the span, set, then read back word by word.
   * The span is below 32 bits per id, so the bitmap has fewer words than ids.
   */
  private orderByBitmap(ids: Uint32Array, lowest: number, span: number): void {
    const words = (span + 31) >>> 5;
    if (this.bitmap.length < words) this.bitmap = new Int32Array(this.used.length);
    const bitmap = this.bitmap;
    bitmap.fill(0, 0, words);
    for (let i = 0; i < ids.length; i++) {
      const offset = ids[i] - lowest;
      bitmap[offset >>> 5] |= 1 << (offset & 31);
    }
    let next = 0;
    for (let word = 0; word < words; word++) {
      let bits = bitmap[word];
      while (bits !== 0) {
        const lowestBit = bits & -bits;
        ids[next++] = lowest + word * 32 + 31 - Math.clz32(lowestBit);
        bits ^= lowestBit;
      }
    }
  }

  /** The slot holding `id`, which must be present. */
  private slotOf(id: number): number {
    const mask = this.keys.length - 1;
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    while (this.keys[slot] !== id) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const keys = this.keys;
    const sums = this.sums;
    const used = this.used.subarray(0, this.filled);
    this.resize(keys.length * 2);
    for (const slot of used) this.add(keys[slot], sums[slot]);
  }

  /** An empty table of `slots` slots (a power of two). */
  private resize(slots: number): void {
    this.keys = new Uint32Array(slots).fill(EMPTY);
    this.sums = new Float64Array(slots);
    this.used = new Uint32Array(slots >> 1);
    this.filled = 0;
    this.shift = hashShift(slots);
  }
}

/**
 * The shift that leaves log2(slots) bits of a 32-bit hash, for `slots` a
 * power of two: 32 - log2(slots), computed in integers. Math.log2 gives a
 * double, and a double stored where a small integer was gives the table a
 * new hidden class (map); the old one, left to the store's long-lived
 * tables, stops matching the tables a query makes, and the code V8
 * optimised for those is thrown away once a whole-heap collection frees
 * their map.
 */
function hashShift(slots: number): number {
  return Math.clz32(slots) + 1;
}
