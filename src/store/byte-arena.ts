/** Bytes an arena starts with; it doubles as values need. */
const INITIAL_BYTES = 64 * 1024;

/**
 * Byte strings copied one after another into one growing buffer: many small
 * values kept for a while (a fleet minute's host buckets) without a buffer
 * each, which V8 would count as external memory and free late.
 */
export class ByteArena {
  private bytes = new Uint8Array(INITIAL_BYTES);
  /** Where each value ends; the next starts there. */
  private readonly ends: number[] = [];

  /** Copies `value` in and returns its index. */
  add(value: Uint8Array): number {
    const start = this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1];
    const end = start + value.length;
    if (end > this.bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, start));
      this.bytes = grown;
    }
    this.bytes.set(value, start);
    this.ends.push(end);
    return this.ends.length - 1;
  }

  /** Forgets every value but keeps the buffer: the next values are copied into it from the start, indexed from 0. */
  clear(): void {
    this.ends.length = 0;
  }

  /** Value `index`, as a view that holds until the next add. */
  get(index: number): Uint8Array {
    return this.bytes.subarray(index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }
}
