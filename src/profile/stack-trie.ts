import { compareNames } from './flame-tree.js';
import type { StackCounts } from './stack-counts.js';

/** Node 0 is the root; 0 also marks "no child" and "no sibling", since the root is nobody's child. */
const ROOT = 0;
const NONE = 0;
/** Past this many children a node gets a Map from name to child; below it a scan is faster. */
const SCAN_LIMIT = 8;

/**
 * Stacks merged by shared prefix, held in flat arrays rather than one object
 * per frame: a day of a fleet can make a million nodes, and only the few
 * thousand that survive pruning ever become objects.
 */
export class StackTrie {
  private names: string[] = ['root'];
  private values = new Float64Array(1024);
  private firstChild = new Int32Array(1024);
  private nextSibling = new Int32Array(1024);
  private parents = new Int32Array(1024);
  private childCount = new Int32Array(1024);
  private readonly childIndexes = new Map<number, Map<string, number>>();

  readonly root = ROOT;

  /** Nodes, the root included. */
  get size(): number {
    return this.names.length;
  }

  name(node: number): string {
    return this.names[node];
  }

  /** Samples of this frame including its children. */
  value(node: number): number {
    return this.values[node];
  }

  /** The node's parent; the root's is itself. */
  parent(node: number): number {
    return this.parents[node];
  }

  hasChildren(node: number): boolean {
    return this.firstChild[node] !== NONE;
  }

  /** The children of `node`, sorted by name. */
  sortedChildren(node: number): number[] {
    return this.children(node).sort((a, b) => compareNames(this.names[a], this.names[b]));
  }

  /** The children of `node` in no particular order. */
  children(node: number): number[] {
    const children: number[] = [];
    for (let child = this.firstChild[node]; child !== NONE; child = this.nextSibling[child]) children.push(child);
    return children;
  }

  /** Adds `count` samples along `stack` (frames joined by ';'). */
  add(stack: string, count: number): void {
    this.values[ROOT] += count;
    let node = ROOT;
    // Frames are matched in place and only copied out for new nodes: most
    // frames of most stacks lie on paths that already exist.
    for (let start = 0; start <= stack.length; ) {
      const semicolon = stack.indexOf(';', start);
      const end = semicolon === -1 ? stack.length : semicolon;
      node = this.childAt(node, stack, start, end);
      this.values[node] += count;
      start = end + 1;
    }
  }

  /** The child of `parent` named stack[start..end), added with no samples if it is new. */
  private childAt(parent: number, stack: string, start: number, end: number): number {
    if (this.childCount[parent] < SCAN_LIMIT) {
      const length = end - start;
      for (let child = this.firstChild[parent]; child !== NONE; child = this.nextSibling[child]) {
        const name = this.names[child];
        if (name.length === length && stack.startsWith(name, start)) return child;
      }
      return this.addChild(parent, stack.slice(start, end));
    }
    let index = this.childIndexes.get(parent);
    if (index === undefined) {
      index = new Map(this.children(parent).map((child) => [this.names[child], child]));
      this.childIndexes.set(parent, index);
    }
    const name = stack.slice(start, end);
    let child = index.get(name);
    if (child === undefined) {
      child = this.addChild(parent, name);
      index.set(name, child);
    }
    return child;
  }

  private addChild(parent: number, name: string): number {
    const node = this.names.length;
    if (node === this.values.length) this.grow();
    this.names.push(name);
    this.parents[node] = parent;
    this.nextSibling[node] = this.firstChild[parent];
    this.firstChild[parent] = node;
    this.childCount[parent] += 1;
    return node;
  }

  private grow(): void {
    const capacity = this.values.length * 2;
    this.values = copyInto(this.values, new Float64Array(capacity));
    this.firstChild = copyInto(this.firstChild, new Int32Array(capacity));
    this.nextSibling = copyInto(this.nextSibling, new Int32Array(capacity));
    this.parents = copyInto(this.parents, new Int32Array(capacity));
    this.childCount = copyInto(this.childCount, new Int32Array(capacity));
  }
}

function copyInto<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export function buildStackTrie(stacks: StackCounts): StackTrie {
  const trie = new StackTrie();
  for (const [stack, count] of stacks) {
    // A sampler may report a stack with zero samples; it has no weight to draw.
    if (count !== 0) trie.add(stack, count);
  }
  return trie;
}
