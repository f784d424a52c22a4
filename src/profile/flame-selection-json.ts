import type { FlameSelection } from './prune-flame-tree.js';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const NAME = ascii('{"name":');
const VALUE = ascii(',"value":');
const CHILDREN = ascii(',"children":[');
const OTHER = ascii('{"name":"(other)","value":');
const OTHER_END = ascii(',"other":true}');
const [COMMA, CLOSE_NODE, CLOSE_LIST] = [44, 125, 93];
/** Room for one node's bytes besides its name: the fixed text and the longest number JSON writes. */
const NODE_BYTES = 64;

// The writers below take the buffer and the write position and return the
// next position: small pure functions V8 inlines into the loop, where
// methods on a writer object cost a call and a bounds check per piece.

function copy(bytes: Buffer, at: number, piece: Uint8Array): number {
  for (let i = 0; i < piece.length; i++) bytes[at++] = piece[i];
  return at;
}

/** ASCII text (the root's name, numbers JSON.stringify writes) byte by byte. */
function asciiText(bytes: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
  return at;
}

/**
 * A number as JSON writes it; counts below 2^31 (nearly every value) digit
 * by digit in integer arithmetic, without a string or a float division.
 */
function number(bytes: Buffer, at: number, value: number): number {
  if (!(value >= 0 && value <= 0x7fffffff && (value | 0) === value)) return asciiText(bytes, at, JSON.stringify(value));
  let digits = 1;
  for (let power = 10; power <= value; power *= 10) digits += 1;
  const end = at + digits;
  let rest = value | 0;
  for (let position = end - 1; position >= at; position--) {
    const tenth = (rest / 10) | 0;
    bytes[position] = 48 + rest - tenth * 10;
    rest = tenth;
  }
  return end;
}

/** `bytes`, or a copy twice as large (or more) when `needed` more bytes would not fit after `at`. */
function withRoom(bytes: Buffer, at: number, needed: number): Buffer {
  if (at + needed <= bytes.length) return bytes;
  const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + needed));
  bytes.copy(grown, 0, 0, at);
  return grown;
}

/**
 * The JSON of a pruned flame tree written straight from its selection (see
 * selectFlameNodes) as UTF-8 bytes: exactly what flameTreeJson writes for
 * the tree pruneStackTrie builds from the same selection (name, value,
 * children per node; "(other)" last with `"other":true`; leaves without
 * `children`), with `fields` added to the root after its own. No node
 * becomes an object and no text is joined: for an 8,000-node answer that
 * is most of its cost. An explicit stack of (rank, next child) replaces
 * recursion, so a stack 10,000 frames deep is written like any other.
 */
export function flameSelectionJson(selection: FlameSelection, fields: Record<string, unknown> = {}): Buffer {
  const { trie, keptNodes, rankPlusOne, childStart, childNodes, otherValue, droppedChildren } = selection;
  /** Ranks whose children are being written, where each has got to in its list, and whether it has written one. */
  const openRanks = new Int32Array(keptNodes.length);
  const nextChild = new Int32Array(keptNodes.length);
  const wroteChild = new Uint8Array(keptNodes.length);
  let bytes: Buffer = Buffer.allocUnsafe(keptNodes.length * NODE_BYTES + 256);
  let at = asciiText(bytes, 0, '{"name":"root"');
  at = copy(bytes, at, VALUE);
  at = number(bytes, at, trie.value(keptNodes[0]));
  at = copy(bytes, at, CHILDREN);
  nextChild[0] = childStart[0];
  for (let depth = 1; depth > 0; ) {
    const top = depth - 1;
    const rank = openRanks[top];
    const end = childStart[rank + 1];
    let next = nextChild[top];
    while (next < end && rankPlusOne[childNodes[next]] === 0) next++;
    const kept = next < end;
    bytes = withRoom(bytes, at, NODE_BYTES);
    // Past the end: the "(other)", if any, is written too.
    if (!kept && (droppedChildren[rank] === 0 || next > end)) {
      depth -= 1;
      bytes[at++] = CLOSE_LIST;
      if (depth > 0) bytes[at++] = CLOSE_NODE;
      continue;
    }
    if (wroteChild[top] === 1) bytes[at++] = COMMA;
    wroteChild[top] = 1;
    if (!kept) {
      // Only the "(other)" is left: written, then this list closes on the next turn.
      at = copy(bytes, at, OTHER);
      at = number(bytes, at, otherValue[rank]);
      at = copy(bytes, at, OTHER_END);
      nextChild[top] = end + 1;
      continue;
    }
    const child = childNodes[next];
    nextChild[top] = next + 1;
    const name = trie.nameJson(child);
    bytes = withRoom(bytes, at, name.length + NODE_BYTES);
    at = copy(bytes, at, NAME);
    at = copy(bytes, at, name);
    at = copy(bytes, at, VALUE);
    at = number(bytes, at, trie.value(child));
    const childRank = rankPlusOne[child] - 1;
    if (childStart[childRank + 1] > childStart[childRank]) {
      at = copy(bytes, at, CHILDREN);
      openRanks[depth] = childRank;
      nextChild[depth] = childStart[childRank];
      wroteChild[depth] = 0;
      depth += 1;
    } else bytes[at++] = CLOSE_NODE;
  }
  for (const [key, value] of Object.entries(fields)) {
    // As JSON.stringify does, a field it cannot write (undefined, a function) is left out.
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) continue;
    const field = Buffer.from(`,${JSON.stringify(key)}:${json}`);
    bytes = withRoom(bytes, at, field.length + 1);
    at = copy(bytes, at, field);
  }
  bytes = withRoom(bytes, at, 1);
  bytes[at++] = CLOSE_NODE;
  return bytes.subarray(0, at);
}
