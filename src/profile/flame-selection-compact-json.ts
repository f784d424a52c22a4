import { ascii, closeObject, copy, copyPiece, number, viewOf, withRoom, type WriteBuffer } from './json-bytes.js';
import type { FlameSelection } from './prune-flame-tree.js';

/**
 * The compact JSON of a pruned flame tree (`format=compact`), the shape of
 * Pyroscope's flamebearer: a table of frame names, each once, and the nodes
 * as one flat list of numbers, in depth-first order (a node, then its
 * children's subtrees, in the tree form's order), three numbers each:
 *
 *   {"nodes":[name index, value, number of children, …],"names":["root", …], …fields}
 *
 * The name index -1 is the "(other)" node of its parent's pruned children
 * (a frame may itself be called "(other)": it has an index like any name).
 * Index 0 is "root". It is the tree the tree form (`{"name","value",
 * "children"}`, see flameSelectionJson) spells out, node for node, with
 * `fields` on the root alike; public/assets/compact-profile.js reads it back
 * into that tree. No object per node, no nesting: less to write and to
 * gzip, and a browser parses numbers far faster than thousands of objects.
 */

/** The name index of an "(other)" node: no name of the table. */
const OTHER_NAME_INDEX = -1;

const NODES = ascii('{"nodes":[');
const NAMES = ascii('],"names":["root"');
const OTHER = ascii(`${OTHER_NAME_INDEX},`);
const [COMMA, CLOSE_LIST] = [44, 93];
/** Room for one node's three numbers and their commas. */
const NODE_BYTES = 64;

/**
 * Written from the selection (see selectFlameNodes) with an explicit stack
 * of what is still to write (a kept node's rank, or the bitwise NOT of a
 * rank for that node's "(other)"), so a stack 10,000 frames deep is written
 * like any other.
 */
export function flameSelectionCompactJson(selection: FlameSelection, fields: Record<string, unknown> = {}): Buffer {
  const written: NodesWritten = { bytes: Buffer.allocUnsafe(selection.nodes * 16 + 256), nodesByName: new Int32Array(selection.keptNodes.length), names: 1 };
  const at = writeNames(selection.trie, written, writeNodes(selection, written));
  // writeNames left room for it.
  written.bytes[at] = CLOSE_LIST;
  return closeObject(written.bytes, at + 1, fields);
}

/** What writeNodes leaves for writeNames (see WriteBuffer: each loop is a function of its own). */
interface NodesWritten extends WriteBuffer {
  /** The names table after "root": for each name, the first node that has it, in the order they appear, from index 1. */
  nodesByName: Int32Array;
  /** Names in the table, "root" included. */
  names: number;
}

/** The nodes list, from its opening to its last number; returns where it ended. */
function writeNodes(selection: FlameSelection, written: NodesWritten): number {
  const { trie, keptNodes, rankPlusOne, childStart, childNodes, otherValue, droppedChildren } = selection;
  /** By name id: its index in the names table plus one, 0 while it has none. */
  const indexPlusOne = new Int32Array(trie.nameLimit);
  const { nodesByName } = written;
  let names = 1;
  const pending = new Int32Array(selection.nodes + 1);
  let waiting = 1;
  let bytes = written.bytes;
  let at = copy(bytes, 0, NODES);
  while (waiting > 0) {
    const entry = pending[--waiting];
    const room = withRoom(bytes, at, NODE_BYTES);
    if (room !== bytes) bytes = written.bytes = room;
    if (at > NODES.length) bytes[at++] = COMMA;
    if (entry < 0) {
      at = copy(bytes, at, OTHER);
      at = number(bytes, at, otherValue[~entry]);
      bytes[at++] = COMMA;
      bytes[at++] = 48;
      continue;
    }
    const rank = entry;
    const node = keptNodes[rank];
    let index = 0;
    if (rank > 0) {
      const nameId = trie.nameId(node);
      index = indexPlusOne[nameId] - 1;
      if (index === -1) {
        nodesByName[names] = node;
        index = names++;
        written.names = names;
        indexPlusOne[nameId] = index + 1;
      }
    }
    const dropped = droppedChildren[rank];
    at = number(bytes, at, index);
    bytes[at++] = COMMA;
    at = number(bytes, at, trie.value(node));
    bytes[at++] = COMMA;
    at = number(bytes, at, childStart[rank + 1] - childStart[rank] - dropped + (dropped > 0 ? 1 : 0));
    // Pushed last first, so they come off the stack in the tree's order, the "(other)" last.
    if (dropped > 0) pending[waiting++] = ~rank;
    for (let child = childStart[rank + 1] - 1; child >= childStart[rank]; child--) {
      const childRankPlusOne = rankPlusOne[childNodes[child]];
      if (childRankPlusOne > 0) pending[waiting++] = childRankPlusOne - 1;
    }
  }
  return at;
}

/** The names table after the nodes, from the list's closing bracket to the table's last name, with room for one byte more; returns where it ended. */
function writeNames(trie: FlameSelection['trie'], written: NodesWritten, at: number): number {
  let bytes = withRoom(written.bytes, at, NAMES.length + 1);
  written.bytes = bytes;
  at = copy(bytes, at, NAMES);
  const nameNodes = written.nodesByName.subarray(1, written.names);
  const nameJsons = trie.nameJsons(nameNodes);
  let view = viewOf(bytes);
  for (const node of nameNodes) {
    const nameId = trie.nameId(node);
    const room = withRoom(bytes, at, nameJsons.end[nameId] - nameJsons.start[nameId] + 2);
    if (room !== bytes) {
      bytes = written.bytes = room;
      view = viewOf(room);
    }
    bytes[at++] = COMMA;
    at = copyPiece(bytes, view, at, nameJsons, nameId);
  }
  return at;
}
