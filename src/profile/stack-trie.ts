import { compareNames } from './flame-tree.js';
import { viewOf, type ByteTable } from './json-bytes.js';
import type { StackIdCounts } from '../store/stack-store.js';
import type { NodeArrays } from './node-arrays.js';
import type { StackCounts } from './stack-counts.js';

/** Node 0 is the root; 0 also marks "no child" and "no sibling", since the root is nobody's child. */
const ROOT = 0;
const NONE = 0;
/** Past this many children a node gets a Map from name to child; below it a scan is faster. */
const SCAN_LIMIT = 8;
/** Past this many nodes the shapes are trimmed (see trim), so memory stays bounded. */
const MAX_SHAPE_NODES = 4_000_000;
/**
 * Below MAX_SHAPE_NODES the shapes are also trimmed once they hold this many
 * times the nodes of the largest recent profile: shapes of stacks no longer
 * asked for (a churning vocabulary) would otherwise pile up to the bound,
 * some 200 bytes a node in the query worker, while a trim keeps the last
 * profile's and relearning costs at most one profile's worth. (4, and a
 * floor of 256 Ki nodes, before trims kept anything: the memory bench's
 * worker held up to 380,000 nodes, 71 MB of heap and 56 MB of buffers,
 * for hourly pages of 100,000 nodes at most.)
 */
const SHAPES_PER_PROFILE_NODE = 2;
/** ...but never below this many nodes (some 13 MB): small profiles relearn nothing. */
export const MIN_SHAPE_NODES = 64 * 1024;
/** How much of the largest recent profile each later one forgets (1/256): a few hundred smaller profiles halve it. */
const RECENT_DECAY_SHIFT = 8;
/**
 * Past this many characters of stack strings remembered as leaves, likewise:
 * the leaves pin their strings, and a store whose stacks churn would
 * otherwise keep every one it ever showed (about 64 MB of one-byte strings).
 */
export const MAX_LEAF_CHARS = 64 * 1024 * 1024;
/** The most profiles back whose stacks a trim keeps (see trim). */
const RECENT_PROFILES = 32;
const INITIAL_NODES = 1024;
const INITIAL_NAME_JSON_BYTES = 16 * 1024;

/**
 * Where the stack string of a stack id is read (a StackStore). An object
 * rather than a closure: optimised code keeps the closure it was made for,
 * and a closure made per query dies with it, taking that code along at the
 * next whole-heap collection (see CountSink in packed-counts.ts).
 */
export interface StackSource {
  stackOfId(id: number): string;
}

/**
 * The shape of every stack seen so far: frames merged by shared prefix, in
 * flat arrays, with each stack's last node remembered. A store's vocabulary
 * changes slowly, so a long-lived StackShapes splits each stack string once;
 * later profiles only add counts along known paths.
 */
export class StackShapes {
  /**
   * Where the node-indexed arrays of profiles over these shapes come from:
   * lent for a job by `nodeArrays` (see NodeArrays: the query worker's, which
   * it reclaims after each answer), or new ones when there is none.
   */
  constructor(private readonly nodeArrays: NodeArrays | null = null) {}

  /** A zeroed Float64Array indexed by node, `length` long (see the constructor). */
  zeroedFloats(length: number): Float64Array {
    return this.nodeArrays === null ? new Float64Array(length) : this.nodeArrays.float64(length);
  }

  /** A zeroed Int32Array indexed by node, `length` long (see the constructor). */
  zeroedInts(length: number): Int32Array {
    return this.nodeArrays === null ? new Int32Array(length) : this.nodeArrays.int32(length);
  }

  /** Nodes, the root included: each node's name is distinctNames[nameIds[node]], no array of strings per node. */
  private nodeCount = 1;
  private firstChild = new Int32Array(INITIAL_NODES);
  private nextSibling = new Int32Array(INITIAL_NODES);
  private parents = new Int32Array(INITIAL_NODES);
  /** Children of each node up to SCAN_LIMIT, where it stops: a byte per node tells a scan from a Map. */
  private childCount = new Uint8Array(INITIAL_NODES);
  private childIndexes = new Map<number, Map<string, number>>();
  private leaves = new Map<string, number>();
  private leafChars = 0;
  /** Leaves by stack id (see leafOfId): no string is kept for them. */
  private idLeaves = new Map<number, number>();
  /** Profiles begun over these shapes (see trim): the number of the one being learned. */
  private profileNumber = 0;
  /** By node, the number of the last profile that had it as a stack's leaf (0: none), which trim keeps by. */
  private leafUse = new Int32Array(INITIAL_NODES);
  /** One string per distinct frame name: a fleet repeats a few thousand names over a million nodes. */
  private frameNames = new Map<string, number>();
  private distinctNames: string[] = ['root'];
  /** Nodes with samples in the largest recent profile, decaying (see noteProfile). */
  private largestRecentProfile = 0;
  /** Each node's index into distinctNames, for arrays indexed by function rather than by node. */
  private nameIds = new Int32Array(INITIAL_NODES);
  /** Piece i: the name with id i as a JSON string in UTF-8, once asked for (see nameJsons). */
  private nameJsonTable = emptyNameJsons();
  /** Bytes of nameJsonTable in use. */
  private nameJsonBytes = 0;
  /** Name ids in name order, and by name id its place in that order, for the names there were when last asked (see nameRanks). */
  private idsInOrder = new Int32Array(0);
  private ranksById = new Int32Array(0);

  /** Nodes, the root included. */
  get size(): number {
    return this.nodeCount;
  }

  name(node: number): string {
    return this.distinctNames[this.nameIds[node]];
  }

  /** A number per distinct frame name (0 is the root's), below nameCount. */
  nameId(node: number): number {
    return this.nameIds[node];
  }

  get nameCount(): number {
    return this.distinctNames.length;
  }

  /** The frame name with this id. */
  nameOfId(nameId: number): string {
    return this.distinctNames[nameId];
  }

  /**
   * A table whose piece `nameId(node)`, for every node of `nodes`, is that
   * frame name as JSON writes a string, in UTF-8 (see ByteTable). Each is
   * made on first use and kept as long as the shapes: every answer repeats
   * the same few thousand names, which are then copied rather than escaped
   * and encoded. Ask again after adding names: the table may be replaced.
   */
  nameJsons(nodes: ArrayLike<number>): ByteTable {
    for (let i = 0; i < nodes.length; i++) {
      const nameId = this.nameIds[nodes[i]];
      if (nameId >= this.nameJsonTable.start.length || this.nameJsonTable.start[nameId] === -1) this.addNameJson(nameId);
    }
    return this.nameJsonTable;
  }

  private addNameJson(nameId: number): void {
    const json = Buffer.from(JSON.stringify(this.distinctNames[nameId]));
    let { bytes, view, start, end } = this.nameJsonTable;
    if (nameId >= start.length) {
      const ids = Math.max(2 * start.length, nameId + 1);
      start = copyInto(start, new Int32Array(ids).fill(-1));
      end = copyInto(end, new Int32Array(ids));
    }
    if (this.nameJsonBytes + json.length > bytes.length) {
      bytes = copyInto(bytes, new Uint8Array(Math.max(2 * bytes.length, this.nameJsonBytes + json.length)));
      view = viewOf(bytes);
    }
    bytes.set(json, this.nameJsonBytes);
    start[nameId] = this.nameJsonBytes;
    end[nameId] = this.nameJsonBytes += json.length;
    this.nameJsonTable = { bytes, view, start, end };
  }

  /**
   * By name id, its place among all names in compareNames order: siblings
   * sorted by it are sorted by name with integer compares. Names added since
   * the last call are sorted alone and merged in, so a query that brings a
   * few new names pays for those, not for sorting every name again.
   */
  nameRanks(): Int32Array {
    const known = this.idsInOrder.length;
    const count = this.distinctNames.length;
    if (known === count) return this.ranksById;
    const names = this.distinctNames;
    const added = Array.from({ length: count - known }, (_, i) => known + i).sort((a, b) => compareNames(names[a], names[b]));
    const merged = new Int32Array(count);
    for (let place = 0, old = 0, next = 0; place < count; place++) {
      const takeOld = next === added.length || (old < known && compareNames(names[this.idsInOrder[old]], names[added[next]]) < 0);
      merged[place] = takeOld ? this.idsInOrder[old++] : added[next++];
    }
    const ranks = new Int32Array(count);
    for (let place = 0; place < count; place++) ranks[merged[place]] = place;
    this.idsInOrder = merged;
    this.ranksById = ranks;
    return ranks;
  }

  /** The node's parent; the root's is itself. */
  parent(node: number): number {
    return this.parents[node];
  }

  firstChildOf(node: number): number {
    return this.firstChild[node];
  }

  nextSiblingOf(node: number): number {
    return this.nextSibling[node];
  }

  /** The node where `stack` (frames joined by ';') ends, added if new. */
  leafOf(stack: string): number {
    let node = this.leaves.get(stack);
    if (node === undefined) {
      node = this.addPath(stack);
      this.leaves.set(stack, node);
      this.leafChars += stack.length;
    }
    this.leafUse[node] = this.profileNumber;
    return node;
  }

  /**
   * The node where the stack with store id `id` ends, added if new; its
   * string is asked of `stacks` only the first time. An id stands for one
   * stack for ever (see StackIdCounts), so what was learned of it stays
   * true, and nothing of the string is kept but the frame names.
   */
  leafOfId(id: number, stacks: StackSource): number {
    let node = this.idLeaves.get(id);
    if (node === undefined) {
      node = this.addPath(stacks.stackOfId(id));
      this.idLeaves.set(id, node);
    }
    this.leafUse[node] = this.profileNumber;
    return node;
  }

  /** Characters of the stack strings remembered as leaves. */
  get leafCharacters(): number {
    return this.leafChars;
  }

  /** Records the nodes with samples of a profile made over these shapes, which trim() sizes them by. */
  noteProfile(nodes: number): void {
    const decayed = this.largestRecentProfile - (this.largestRecentProfile >> RECENT_DECAY_SHIFT);
    this.largestRecentProfile = Math.max(nodes, decayed);
  }

  /**
   * Called before a profile starts using the shapes: once there are too many
   * nodes, leaf strings or leaf ids, forgets every shape but the paths of
   * the stacks the latest profiles asked for (the page asked again, a wider
   * range over the same stacks): as many of the latest as hold at most a
   * third of the bound in leaves, at least the previous one, or none when
   * its paths alone would fill half the bound. The arrays shrink back too,
   * so memory follows the stacks read of late, not all those ever read. Too
   * many nodes: past MAX_SHAPE_NODES, or past SHAPES_PER_PROFILE_NODE times
   * the largest recent profile's (at least MIN_SHAPE_NODES). What is
   * forgotten is learned again from the stack strings when asked for; node
   * numbers change, so no trie made before may be read after.
   */
  trim(): void {
    const nodes = Math.min(MAX_SHAPE_NODES, Math.max(MIN_SHAPE_NODES, SHAPES_PER_PROFILE_NODE * this.largestRecentProfile));
    if (this.size > nodes || this.leafChars > MAX_LEAF_CHARS || this.idLeaves.size > nodes) {
      const previous = this.profileNumber;
      let kept = previous > 0 ? this.pathsOfLeavesSince(this.latestProfilesWithin(nodes / 3)) : Uint8Array.of(1);
      if (countKept(kept) > nodes / 2 && previous > 0) kept = this.pathsOfLeavesSince(previous);
      this.keepOnly(countKept(kept) > nodes / 2 ? Uint8Array.of(1) : kept);
      if (this.leafChars > MAX_LEAF_CHARS / 2) this.keepOnly(Uint8Array.of(1));
    }
    this.profileNumber += 1;
  }

  /** The first of the latest profiles (at most RECENT_PROFILES, at least the previous) whose leaves hold at most `leaves` nodes together. */
  private latestProfilesWithin(leaves: number): number {
    const previous = this.profileNumber;
    const leavesByAge = new Int32Array(RECENT_PROFILES);
    for (let node = 1; node < this.nodeCount; node++) {
      const age = previous - this.leafUse[node];
      if (this.leafUse[node] > 0 && age < RECENT_PROFILES) leavesByAge[age] += 1;
    }
    let first = previous;
    for (let age = 1, total = leavesByAge[0]; age < RECENT_PROFILES && total + leavesByAge[age] <= leaves; age++) {
      total += leavesByAge[age];
      first = previous - age;
    }
    return first;
  }

  /** By node, 1 for the root and every node on the path of a leaf that profile `first` or a later one used. */
  private pathsOfLeavesSince(first: number): Uint8Array {
    const kept = new Uint8Array(this.nodeCount);
    kept[ROOT] = 1;
    // A parent's number is below its children's: one pass from the last node marks whole paths.
    for (let node = this.nodeCount - 1; node > ROOT; node--) {
      if (kept[node] === 1 || this.leafUse[node] >= first) {
        kept[node] = 1;
        kept[this.parents[node]] = 1;
      }
    }
    return kept;
  }

  /**
   * Keeps the nodes `kept` marks (whole paths from the root; nodes past its
   * end are dropped), renumbered in their order, with their names and the
   * leaves that end on them; drops the rest and every table made from names.
   */
  private keepOnly(kept: Uint8Array): void {
    const count = this.nodeCount;
    const renumbered = new Int32Array(count).fill(-1);
    let keptNodes = 0;
    for (let node = 0; node < Math.min(count, kept.length); node++) if (kept[node] === 1) renumbered[node] = keptNodes++;
    const { parents, nameIds, leafUse, distinctNames, leaves, idLeaves } = this;
    const capacity = Math.max(INITIAL_NODES, 2 * keptNodes);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.parents = new Int32Array(capacity);
    this.childCount = new Uint8Array(capacity);
    this.nameIds = new Int32Array(capacity);
    this.leafUse = new Int32Array(capacity);
    this.distinctNames = ['root'];
    this.frameNames = new Map();
    const newNameIds = new Int32Array(distinctNames.length).fill(-1);
    newNameIds[0] = 0;
    // In node order, so each parent is in place before its children, who are linked as addChild links them.
    for (let node = 1; node < count; node++) {
      const to = renumbered[node];
      if (to === -1) continue;
      let nameId = newNameIds[nameIds[node]];
      if (nameId === -1) {
        nameId = newNameIds[nameIds[node]] = this.distinctNames.length;
        this.distinctNames.push(distinctNames[nameIds[node]]);
        this.frameNames.set(distinctNames[nameIds[node]], nameId);
      }
      this.linkChild(renumbered[parents[node]], to, nameId);
      this.leafUse[to] = leafUse[node];
    }
    this.nodeCount = keptNodes;
    this.leaves = new Map();
    this.leafChars = 0;
    for (const [stack, node] of leaves) {
      if (renumbered[node] === -1) continue;
      this.leaves.set(stack, renumbered[node]);
      this.leafChars += stack.length;
    }
    this.idLeaves = new Map();
    for (const [id, node] of idLeaves) if (renumbered[node] !== -1) this.idLeaves.set(id, renumbered[node]);
    this.childIndexes = new Map();
    this.nameJsonTable = emptyNameJsons();
    this.nameJsonBytes = 0;
    this.idsInOrder = new Int32Array(0);
    this.ranksById = new Int32Array(0);
  }

  private addPath(stack: string): number {
    let node = ROOT;
    // Frames are matched in place and only copied out for new nodes.
    for (let start = 0; start <= stack.length; ) {
      const semicolon = stack.indexOf(';', start);
      const end = semicolon === -1 ? stack.length : semicolon;
      node = this.childAt(node, stack, start, end);
      start = end + 1;
    }
    return node;
  }

  /** The child of `parent` named stack[start..end), added if it is new. */
  private childAt(parent: number, stack: string, start: number, end: number): number {
    if (this.childCount[parent] < SCAN_LIMIT) {
      const length = end - start;
      for (let child = this.firstChild[parent]; child !== NONE; child = this.nextSibling[child]) {
        const name = this.distinctNames[this.nameIds[child]];
        if (name.length === length && stack.startsWith(name, start)) return child;
      }
      return this.addChild(parent, stack.slice(start, end));
    }
    let index = this.childIndexes.get(parent);
    if (index === undefined) {
      index = new Map();
      for (let child = this.firstChild[parent]; child !== NONE; child = this.nextSibling[child]) index.set(this.name(child), child);
      this.childIndexes.set(parent, index);
    }
    let child = index.get(stack.slice(start, end));
    if (child === undefined) {
      child = this.addChild(parent, stack.slice(start, end));
      // Keyed by the name kept once (see addChild), not by the slice, which would pin the stack.
      index.set(this.name(child), child);
    }
    return child;
  }

  private addChild(parent: number, frame: string): number {
    let nameId = this.frameNames.get(frame);
    if (nameId === undefined) {
      nameId = this.distinctNames.length;
      const name = ownString(frame);
      this.frameNames.set(name, nameId);
      this.distinctNames.push(name);
    }
    const node = this.nodeCount++;
    if (node === this.parents.length) this.grow();
    this.linkChild(parent, node, nameId);
    return node;
  }

  /** Makes `node`, named by `nameId`, the first child of `parent`. */
  private linkChild(parent: number, node: number, nameId: number): void {
    this.nameIds[node] = nameId;
    this.parents[node] = parent;
    this.nextSibling[node] = this.firstChild[parent];
    this.firstChild[parent] = node;
    if (this.childCount[parent] < SCAN_LIMIT) this.childCount[parent] += 1;
  }

  private grow(): void {
    const capacity = this.parents.length * 2;
    this.firstChild = copyInto(this.firstChild, new Int32Array(capacity));
    this.nextSibling = copyInto(this.nextSibling, new Int32Array(capacity));
    this.parents = copyInto(this.parents, new Int32Array(capacity));
    this.childCount = copyInto(this.childCount, new Uint8Array(capacity));
    this.nameIds = copyInto(this.nameIds, new Int32Array(capacity));
    this.leafUse = copyInto(this.leafUse, new Int32Array(capacity));
  }
}

/**
 * A copy of `text` that holds its own characters (JSON gives back exactly
 * the string it wrote, lone surrogates included): V8 makes a slice of more
 * than a few characters a view that keeps the whole string it was cut from
 * alive, so a frame name sliced from a stack would pin that stack, some 250
 * bytes a name, for as long as the shapes keep the name.
 */
function ownString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function emptyNameJsons(): ByteTable {
  const bytes = new Uint8Array(INITIAL_NAME_JSON_BYTES);
  return { bytes, view: viewOf(bytes), start: new Int32Array(0), end: new Int32Array(0) };
}

function countKept(kept: Uint8Array): number {
  return kept.reduce((sum, keep) => sum + keep, 0);
}

function copyInto<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * One profile over the shapes: a value per node (samples of the frame
 * including its children). Nodes without samples in this profile are not
 * part of it: they are neither counted nor listed as children.
 */
export class StackTrie {
  readonly root = ROOT;

  constructor(
    private readonly shapes: StackShapes,
    private readonly values: Float64Array,
    /** Nodes with samples, the root included. */
    readonly size: number,
  ) {}

  name(node: number): string {
    return this.shapes.name(node);
  }

  /** Every node number is below this: for arrays indexed by node. */
  get nodeLimit(): number {
    return this.values.length;
  }

  /** A zeroed array indexed by node, nodeLimit long, as the shapes lend them (see StackShapes' constructor). */
  zeroedPerNode(): Int32Array {
    return this.shapes.zeroedInts(this.values.length);
  }

  /** Samples of this frame including its children. */
  value(node: number): number {
    return this.values[node];
  }

  /** The node's parent; the root's is itself. */
  parent(node: number): number {
    return this.shapes.parent(node);
  }

  /**
   * The trie whose every node's value is the weighted sum of its values in
   * `tries` (all built together by buildStackTries, so node numbers agree).
   */
  static weightedSum(tries: readonly StackTrie[], weights: readonly number[]): StackTrie {
    const [first] = tries;
    const values = first.shapes.zeroedFloats(first.values.length);
    let size = 0;
    for (let node = 0; node < values.length; node++) {
      let value = 0;
      tries.forEach((trie, i) => (value += trie.values[node] * weights[i]));
      values[node] = value;
      if (value > 0 || node === ROOT) size += 1;
    }
    return new StackTrie(first.shapes, values, size);
  }

  /** See StackShapes.nameId: the same number for every node of one function. */
  nameId(node: number): number {
    return this.shapes.nameId(node);
  }

  /** Every name id is below this: for arrays indexed by function. */
  get nameLimit(): number {
    return this.shapes.nameCount;
  }

  nameOfId(nameId: number): string {
    return this.shapes.nameOfId(nameId);
  }

  /** See StackShapes.nameRanks: indexed by nameId. */
  nameRanks(): Int32Array {
    return this.shapes.nameRanks();
  }

  /** See StackShapes.nameJsons: the names of `nodes` as JSON strings, by name id. */
  nameJsons(nodes: ArrayLike<number>): ByteTable {
    return this.shapes.nameJsons(nodes);
  }

  /** The first child of `node` with samples, or -1; with nextSibling, children without allocating. */
  firstChild(node: number): number {
    return this.withSamples(this.shapes.firstChildOf(node));
  }

  /** The next sibling of `node` with samples, or -1. */
  nextSibling(node: number): number {
    return this.withSamples(this.shapes.nextSiblingOf(node));
  }

  private withSamples(first: number): number {
    for (let node = first; node !== NONE; node = this.shapes.nextSiblingOf(node)) {
      if (this.values[node] > 0) return node;
    }
    return -1;
  }

  /** The child of `node` named `name` that has samples, or -1. */
  childNamed(node: number, name: string): number {
    for (let child = this.shapes.firstChildOf(node); child !== NONE; child = this.shapes.nextSiblingOf(child)) {
      if (this.values[child] > 0 && this.shapes.name(child) === name) return child;
    }
    return -1;
  }

  /** The node reached from the root through `frames`, or -1 when this profile has no such path. */
  nodeAtPath(frames: readonly string[]): number {
    let node: number = this.root;
    for (const frame of frames) {
      node = this.childNamed(node, frame);
      if (node === -1) return -1;
    }
    return node;
  }
}

/**
 * A trie as long-lived as this module, never read: V8's optimised code for
 * the tries' methods, and for the pruning and JSON loops that call them,
 * checks the tries' hidden class (map). With no trie left between two
 * queries, a whole-heap collection (the query worker makes one when idle)
 * frees that map and throws all that code away, and the next query ran at
 * 2-3 times its CPU time while it was compiled again.
 */
export const TRIE_CLASS_KEEPER = new StackTrie(new StackShapes(), new Float64Array(1), 1);

/**
 * Weighs `stacks` over `shapes` (a fresh one by default; pass a long-lived
 * one to reuse what earlier profiles learned): each stack's count is added
 * to its node and every ancestor, so the cost per known stack is its depth.
 */
export function buildStackTrie(stacks: StackCounts, shapes = new StackShapes()): StackTrie {
  return buildStackTries([stacks], shapes)[0];
}

/** A profile as the leaf node of each stack with samples and its count. */
interface LearnedProfile {
  leaves: Int32Array;
  counts: Float64Array;
  weighed: number;
}

/**
 * One trie per profile, all over the same shapes, so a node number means the
 * same path in each (what a comparison of two profiles needs). Shapes are
 * trimmed once, before any of them is learned, and never between them.
 */
export function buildStackTries(profiles: readonly StackCounts[], shapes = new StackShapes()): StackTrie[] {
  shapes.trim();
  // Shapes first: learning new stacks may grow the arrays the values are sized by.
  const learned = profiles.map((stacks) => {
    const profile = emptyProfile(stacks.size);
    for (const [stack, count] of stacks) {
      // A sampler may report a stack with zero samples; it has no weight to draw.
      if (count !== 0) addLeaf(profile, shapes.leafOf(stack), count);
    }
    return profile;
  });
  return learned.map((profile) => weigh(shapes, profile));
}

/**
 * As buildStackTries, over profiles of stack ids (StackStore.readIds):
 * `shapes` remembers each id's leaf, so only the stacks of ids it has not
 * seen are asked of `stacks`, and no stack string stays in memory.
 */
export function buildStackTriesOfIds(profiles: readonly StackIdCounts[], shapes: StackShapes, stacks: StackSource): StackTrie[] {
  shapes.trim();
  const learned = profiles.map((ids) => {
    const profile = emptyProfile(ids.size);
    // Indexed, not forEach with a closure made per profile: see StackSource.
    for (let i = 0; i < ids.size; i++) addLeaf(profile, shapes.leafOfId(ids.idAt(i), stacks), ids.countAt(i));
    return profile;
  });
  return learned.map((profile) => weigh(shapes, profile));
}

function emptyProfile(stacks: number): LearnedProfile {
  return { leaves: new Int32Array(stacks), counts: new Float64Array(stacks), weighed: 0 };
}

function addLeaf(profile: LearnedProfile, leaf: number, count: number): void {
  profile.leaves[profile.weighed] = leaf;
  profile.counts[profile.weighed++] = count;
}

/** The trie of one learned profile: each count added to its leaf and every ancestor. */
function weigh(shapes: StackShapes, { leaves, counts, weighed }: LearnedProfile): StackTrie {
  const values = shapes.zeroedFloats(shapes.size);
  let size = 1;
  for (let i = 0; i < weighed; i++) {
    const count = counts[i];
    values[ROOT] += count;
    for (let node = leaves[i]; node !== ROOT; node = shapes.parent(node)) {
      if (values[node] === 0) size += 1;
      values[node] += count;
    }
  }
  shapes.noteProfile(size);
  return new StackTrie(shapes, values, size);
}
