const INITIAL_ENTRIES = 1024;
/**
 * Entries clear() keeps room for (20 bytes each, some 1.3 MB): pruning to
 * the default 8,000 nodes pushes at most the kept nodes' children, a few
 * tens of thousands; past this a queue starts small again.
 */
const KEPT_ENTRIES = 64 * 1024;

/**
 * A priority queue of node numbers: the highest value first, and among equal
 * values the first pushed first. Held in typed arrays: pruning a large
 * profile pushes tens of thousands of candidates, and objects or comparator
 * calls per candidate would dominate its time.
 *
 * Pruning pops nodes best-first and pushes each kept node's children, which
 * never weigh more than it; a stack's own frames below where it parts from
 * the others are a chain of nodes of one value, so most pushes repeat the
 * value just popped. Those go to a run beside the heap: every entry of that
 * value pushed later comes after every one pushed earlier, so the run stays
 * in order by appending, and a pop takes the better of the run's first entry
 * and the heap's top. A 5-minute or a 24-hour W2 profile is then pruned
 * with 2.5 times less queue time than through the heap alone. Any order of
 * pushes and pops is answered right; only the speed depends on that pattern.
 */
export class CandidateHeap {
  /** By entry (the pushes numbered from 0): its node and value. */
  private nodes = new Int32Array(INITIAL_ENTRIES);
  private values = new Float64Array(INITIAL_ENTRIES);
  private pushed = 0;
  /** A binary heap of entries, by value descending, then entry ascending. */
  private heap = new Int32Array(INITIAL_ENTRIES);
  private heapLength = 0;
  /** Entries of value runValue, ascending, from runStart to runEnd. */
  private run = new Int32Array(INITIAL_ENTRIES);
  private runStart = 0;
  private runEnd = 0;
  /** The last value popped while the run was empty: pushes of it join the run. */
  private runValue = Number.NaN;

  /**
   * Empties the queue for another pruning. Its arrays are kept unless they
   * grew past KEPT_ENTRIES: a queue lives as long as its module (see
   * prune-flame-tree.ts), and one huge profile should not pin its memory.
   */
  clear(): void {
    if (this.nodes.length > KEPT_ENTRIES) {
      this.nodes = new Int32Array(INITIAL_ENTRIES);
      this.values = new Float64Array(INITIAL_ENTRIES);
    }
    if (this.heap.length > KEPT_ENTRIES) this.heap = new Int32Array(INITIAL_ENTRIES);
    if (this.run.length > KEPT_ENTRIES) this.run = new Int32Array(INITIAL_ENTRIES);
    this.pushed = 0;
    this.heapLength = 0;
    this.runStart = 0;
    this.runEnd = 0;
    this.runValue = Number.NaN;
  }

  get size(): number {
    return this.heapLength + this.runEnd - this.runStart;
  }

  push(node: number, value: number): void {
    if (this.pushed === this.nodes.length) this.growEntries();
    const entry = this.pushed++;
    this.nodes[entry] = node;
    this.values[entry] = value;
    if (value === this.runValue) {
      if (this.runEnd === this.run.length) this.run = grown(this.run);
      this.run[this.runEnd++] = entry;
      return;
    }
    if (this.heapLength === this.heap.length) this.heap = grown(this.heap);
    const { heap, values } = this;
    let index = this.heapLength++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      // An equal value was pushed earlier: it stays above.
      if (!(value > values[heap[parent]])) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = entry;
  }

  /** The node with the highest value (the first pushed among equals), or -1 when empty. */
  pop(): number {
    let entry: number;
    if (this.runStart < this.runEnd && (this.heapLength === 0 || this.before(this.run[this.runStart], this.heap[0]))) {
      entry = this.run[this.runStart++];
      if (this.runStart === this.runEnd) this.runStart = this.runEnd = 0;
    } else if (this.heapLength > 0) {
      entry = this.popHeap();
    } else {
      return -1;
    }
    if (this.runStart === this.runEnd) this.runValue = this.values[entry];
    return this.nodes[entry];
  }

  /** Whether entry `a` comes out before entry `b`. */
  private before(a: number, b: number): boolean {
    const { values } = this;
    return values[a] > values[b] || (values[a] === values[b] && a < b);
  }

  private popHeap(): number {
    const { heap } = this;
    const top = heap[0];
    const last = --this.heapLength;
    const moving = heap[last];
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= last) break;
      if (child + 1 < last && this.before(heap[child + 1], heap[child])) child += 1;
      if (!this.before(heap[child], moving)) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = moving;
    return top;
  }

  private growEntries(): void {
    this.nodes = grown(this.nodes);
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}

/** `array` copied into one twice as long. */
function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}
