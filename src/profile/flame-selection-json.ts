import { ascii, asciiText, byteTable, closeObject, copy, copyPiece, number, viewOf, withRoom, type WriteBuffer } from './json-bytes.js';
import type { FlameSelection } from './prune-flame-tree.js';

/** What every node's JSON repeats, copied as pieces (see copyPiece): the texts before and after its name, and before its children. */
const PIECES = byteTable(['{"name":', ',"value":', ',"children":[']);
const [NAME, VALUE, CHILDREN] = [0, 1, 2];
const OTHER = ascii('{"name":"(other)","value":');
const OTHER_END = ascii(',"other":true}');
const [COMMA, CLOSE_NODE, CLOSE_LIST] = [44, 125, 93];
/** Room for one node's bytes besides its name: the fixed text and the longest number JSON writes. */
const NODE_BYTES = 64;

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
  const written: WriteBuffer = { bytes: Buffer.allocUnsafe(selection.keptNodes.length * NODE_BYTES + 256) };
  const at = writeNodes(selection, written);
  return closeObject(written.bytes, at, fields);
}

/** The root and every node below it, up to the root's closing brace, written into `written`; returns where it ended (see WriteBuffer). */
function writeNodes(selection: FlameSelection, written: WriteBuffer): number {
  const { trie, keptNodes, rankPlusOne, childStart, childNodes, otherValue, droppedChildren } = selection;
  /** Ranks whose children are being written, where each has got to in its list, and whether it has written one. */
  const openRanks = new Int32Array(keptNodes.length);
  const nextChild = new Int32Array(keptNodes.length);
  const wroteChild = new Uint8Array(keptNodes.length);
  const names = trie.nameJsons(keptNodes);
  let bytes = written.bytes;
  let view = viewOf(bytes);
  let at = asciiText(bytes, 0, '{"name":"root"');
  at = copyPiece(bytes, view, at, PIECES, VALUE);
  at = number(bytes, at, trie.value(keptNodes[0]));
  at = copyPiece(bytes, view, at, PIECES, CHILDREN);
  nextChild[0] = childStart[0];
  for (let depth = 1; depth > 0; ) {
    const top = depth - 1;
    const rank = openRanks[top];
    const end = childStart[rank + 1];
    let next = nextChild[top];
    while (next < end && rankPlusOne[childNodes[next]] === 0) next++;
    const kept = next < end;
    const nameId = kept ? trie.nameId(childNodes[next]) : 0;
    const room = withRoom(bytes, at, (kept ? names.end[nameId] - names.start[nameId] : 0) + NODE_BYTES);
    if (room !== bytes) {
      bytes = written.bytes = room;
      view = viewOf(room);
    }
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
    at = copyPiece(bytes, view, at, PIECES, NAME);
    at = copyPiece(bytes, view, at, names, nameId);
    at = copyPiece(bytes, view, at, PIECES, VALUE);
    at = number(bytes, at, trie.value(child));
    const childRank = rankPlusOne[child] - 1;
    if (childStart[childRank + 1] > childStart[childRank]) {
      at = copyPiece(bytes, view, at, PIECES, CHILDREN);
      openRanks[depth] = childRank;
      nextChild[depth] = childStart[childRank];
      wroteChild[depth] = 0;
      depth += 1;
    } else bytes[at++] = CLOSE_NODE;
  }
  return at;
}
