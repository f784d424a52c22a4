/**
 * A binary max-heap of node numbers keyed by (value descending, then order
 * ascending), held in typed arrays: pruning a large profile pushes tens of
 * thousands of candidates, and objects or comparator calls per candidate
 * would dominate its time.
 */
export class CandidateHeap {
  private values = new Float64Array(1024);
  private orders = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  private length = 0;

  get size(): number {
    return this.length;
  }

  push(node: number, value: number, order: number): void {
    if (this.length === this.nodes.length) this.grow();
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.ranksBefore(value, order, parent)) break;
      this.move(parent, index);
      index = parent;
    }
    this.set(index, node, value, order);
  }

  /** The node with the highest value (lowest order among equals), or -1 when empty. */
  pop(): number {
    if (this.length === 0) return -1;
    const top = this.nodes[0];
    const last = --this.length;
    const value = this.values[last];
    const order = this.orders[last];
    const node = this.nodes[last];
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.ranksBefore(this.values[right], this.orders[right], left) ? right : left;
      if (!this.ranksBefore(this.values[child], this.orders[child], -1, value, order)) break;
      this.move(child, index);
      index = child;
    }
    if (last > 0) this.set(index, node, value, order);
    return top;
  }

  /** Whether (value, order) comes before the entry at `slot`, or before (otherValue, otherOrder) when slot is -1. */
  private ranksBefore(value: number, order: number, slot: number, otherValue = this.values[slot], otherOrder = this.orders[slot]): boolean {
    return value > otherValue || (value === otherValue && order < otherOrder);
  }

  private move(from: number, to: number): void {
    this.set(to, this.nodes[from], this.values[from], this.orders[from]);
  }

  private set(slot: number, node: number, value: number, order: number): void {
    this.nodes[slot] = node;
    this.values[slot] = value;
    this.orders[slot] = order;
  }

  private grow(): void {
    const capacity = this.nodes.length * 2;
    const values = new Float64Array(capacity);
    const orders = new Float64Array(capacity);
    const nodes = new Int32Array(capacity);
    values.set(this.values);
    orders.set(this.orders);
    nodes.set(this.nodes);
    this.values = values;
    this.orders = orders;
    this.nodes = nodes;
  }
}
