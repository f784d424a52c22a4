import { packCounts, unpackCounts } from './packed-counts.js';

/**
 * Sums of counts per stack id, in a typed array indexed by id: summing
 * thousands of buckets stays arithmetic, with no hashing and no strings.
 * Stack ids are dense (assigned from a counter), so the array stays small.
 */
export class IdCounts {
  private counts = new Float64Array(1024);
  private touched = new Uint32Array(1024);
  private size = 0;
  /** pack()'s counts in id order, kept between calls so packing allocates only its result. */
  private sortedCounts = new Float64Array(0);
  private readonly addEntry = (id: number, count: number): void => this.add(id, count);

  /** `count` must be positive: a zero sum marks an id not seen yet. */
  add(id: number, count: number): void {
    if (id >= this.counts.length) this.growCounts(id);
    if (this.counts[id] === 0) {
      if (this.size === this.touched.length) this.growTouched();
      this.touched[this.size++] = id;
    }
    this.counts[id] += count;
  }

  addPacked(packed: Uint8Array): void {
    unpackCounts(packed, this.addEntry);
  }

  /** Visits every id with a non-zero sum, in no particular order. */
  forEach(visit: (id: number, count: number) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.touched[i], this.counts[this.touched[i]]);
  }

  pack(): Buffer {
    const ids = this.touched.subarray(0, this.size).sort();
    if (this.sortedCounts.length < this.size) this.sortedCounts = new Float64Array(this.touched.length);
    const counts = this.sortedCounts.subarray(0, this.size);
    for (let i = 0; i < ids.length; i++) counts[i] = this.counts[ids[i]];
    return packCounts(ids, counts);
  }

  /** Empties the sums in time proportional to the ids touched, so one instance serves many buckets. */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.counts[this.touched[i]] = 0;
    this.size = 0;
  }

  private growCounts(id: number): void {
    const grown = new Float64Array(Math.max(id + 1, this.counts.length * 2));
    grown.set(this.counts);
    this.counts = grown;
  }

  private growTouched(): void {
    const grown = new Uint32Array(this.touched.length * 2);
    grown.set(this.touched);
    this.touched = grown;
  }
}
