/**
 * Node-indexed arrays lent for one job and all taken back when it ends. A
 * query over a fleet's shapes (W3's _all: 850,000 nodes) needs a value per
 * node for each trie and a rank per node for its pruning, some 10 MB that
 * were allocated, faulted in page by page and left to the collector by
 * every query; lent from here they are zeroed in place instead. The query
 * worker lends from one NodeArrays and reclaims after each answer:
 * whatever was made from the arrays must be done with by then.
 */

/** Lengths are rounded up to this many elements, so shapes that grow a little reuse the same buffer. */
const LENGTH_STEP = 64 * 1024;
/**
 * Bytes of free arrays kept between jobs; reclaim() lets go of the rest.
 * W3's _all (a trie's values and a pruning's ranks over 850,000 nodes)
 * takes some 10 MB, and its /diff (two tries and their diff) some 23. An
 * array let go is not given back: glibc raises its mmap threshold to the
 * size of a freed mapping, so the next arrays of that size come from the
 * worker thread's malloc arena (a 60 MB mapping, all of it resident, over
 * W3's diffs when this kept 16 MB). bench/w3-peak.ts, three alternated
 * pairs: after the diffs 252–255 -> 233–234 MB, the peak 267–278 -> 259–266
 * MB. A larger fleet's arrays are made again per query rather than held
 * while the thread idles.
 */
export const KEPT_NODE_ARRAY_BYTES = 40 * 1024 * 1024;

type NodeArray = Float64Array | Int32Array;

export class NodeArrays {
  private freeFloats: Float64Array[] = [];
  private freeInts: Int32Array[] = [];
  private lent: NodeArray[] = [];

  /** A zeroed Float64Array of `length` elements, until reclaim(). */
  float64(length: number): Float64Array {
    const array = lend(this.freeFloats, length, (capacity) => new Float64Array(capacity));
    this.lent.push(array);
    return array.subarray(0, length).fill(0);
  }

  /** A zeroed Int32Array of `length` elements, until reclaim(). */
  int32(length: number): Int32Array {
    const array = lend(this.freeInts, length, (capacity) => new Int32Array(capacity));
    this.lent.push(array);
    return array.subarray(0, length).fill(0);
  }

  /**
   * Takes back every array lent since the last call, keeping free arrays of
   * at most KEPT_NODE_ARRAY_BYTES in all (the largest first) and letting go
   * of the others.
   */
  reclaim(): void {
    const all = [...this.freeFloats, ...this.freeInts, ...this.lent].sort((a, b) => b.byteLength - a.byteLength);
    this.freeFloats = [];
    this.freeInts = [];
    this.lent = [];
    let kept = 0;
    for (const array of all) {
      if (kept + array.byteLength > KEPT_NODE_ARRAY_BYTES) continue;
      kept += array.byteLength;
      if (array instanceof Float64Array) this.freeFloats.push(array);
      else this.freeInts.push(array);
    }
  }

  /** Bytes of the free arrays, for tests. */
  get freeBytes(): number {
    return [...this.freeFloats, ...this.freeInts].reduce((sum, array) => sum + array.byteLength, 0);
  }
}

/** A free array of at least `length` elements taken from `free`, or a new one. */
function lend<T extends NodeArray>(free: T[], length: number, make: (capacity: number) => T): T {
  const fits = free.findIndex((array) => array.length >= length);
  if (fits !== -1) return free.splice(fits, 1)[0];
  return make(Math.ceil(Math.max(length, 1) / LENGTH_STEP) * LENGTH_STEP);
}
