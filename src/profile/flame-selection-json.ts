import type { FlameSelection } from './prune-flame-tree.js';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const NAME = ascii('{"name":');
const VALUE = ascii(',"value":');
const CHILDREN = ascii(',"children":[');
const OTHER = ascii('{"name":"(other)","value":');
const OTHER_END = ascii(',"other":true}');
const [COMMA, CLOSE_NODE, CLOSE_LIST, QUOTE, BACKSLASH] = [44, 125, 93, 34, 92];

/**
 * Bytes appended to a buffer that doubles when full. Every piece is ASCII
 * or already UTF-8, so nothing is a string that would have to be joined and
 * encoded again at the end.
 */
class ByteWriter {
  private bytes: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(capacity, 256));
  }

  raw(piece: Uint8Array): void {
    this.room(piece.length);
    // Byte by byte: pieces are a few dozen bytes, where TypedArray#set costs more than it copies.
    const { bytes } = this;
    let at = this.length;
    for (let i = 0; i < piece.length; i++) bytes[at++] = piece[i];
    this.length = at;
  }

  /** A string's UTF-8 bytes; ASCII (nearly every frame name) copied code by code. */
  text(piece: string): void {
    this.room(piece.length * 3);
    const { bytes } = this;
    let at = this.length;
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code >= 0x80) {
        this.length += bytes.write(piece, this.length, 'utf8');
        return;
      }
      bytes[at++] = code;
    }
    this.length = at;
  }

  /**
   * A string as JSON writes it: plain ASCII (nearly every frame name) is
   * copied between quotes as it is; anything JSON escapes or UTF-8 widens
   * goes through JSON.stringify. Not a cached JSON.stringify of each name:
   * names are slices of stack strings, on which it costs ~1.5 µs a call.
   */
  jsonString(piece: string): void {
    this.room(piece.length + 2);
    const { bytes } = this;
    let at = this.length;
    bytes[at++] = QUOTE;
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code < 0x20 || code >= 0x7f || code === QUOTE || code === BACKSLASH) {
        this.text(JSON.stringify(piece));
        return;
      }
      bytes[at++] = code;
    }
    bytes[at++] = QUOTE;
    this.length = at;
  }

  byte(code: number): void {
    this.room(1);
    this.bytes[this.length++] = code;
  }

  /** As JSON writes a number; whole counts (nearly every value) digit by digit, without a string. */
  number(value: number): void {
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      this.text(JSON.stringify(value));
      return;
    }
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits += 1;
    this.room(digits);
    const end = this.length + digits;
    let at = end;
    let rest = value;
    do {
      this.bytes[--at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.length = end;
  }

  done(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + extra));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
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
  const out = new ByteWriter(keptNodes.length * 64);
  out.text('{"name":"root","value":');
  out.number(trie.value(keptNodes[0]));
  out.raw(CHILDREN);
  nextChild[0] = childStart[0];
  for (let depth = 1; depth > 0; ) {
    const top = depth - 1;
    const rank = openRanks[top];
    const end = childStart[rank + 1];
    let at = nextChild[top];
    while (at < end && rankPlusOne[childNodes[at]] === 0) at++;
    const kept = at < end;
    // Past the end: the "(other)", if any, is written too.
    if (!kept && (droppedChildren[rank] === 0 || at > end)) {
      depth -= 1;
      out.byte(CLOSE_LIST);
      if (depth > 0) out.byte(CLOSE_NODE);
      continue;
    }
    if (wroteChild[top] === 1) out.byte(COMMA);
    wroteChild[top] = 1;
    if (!kept) {
      // Only the "(other)" is left: written, then this list closes on the next turn.
      out.raw(OTHER);
      out.number(otherValue[rank]);
      out.raw(OTHER_END);
      nextChild[top] = end + 1;
      continue;
    }
    const child = childNodes[at];
    nextChild[top] = at + 1;
    out.raw(NAME);
    out.jsonString(trie.name(child));
    out.raw(VALUE);
    out.number(trie.value(child));
    const childRank = rankPlusOne[child] - 1;
    if (childStart[childRank + 1] > childStart[childRank]) {
      out.raw(CHILDREN);
      openRanks[depth] = childRank;
      nextChild[depth] = childStart[childRank];
      wroteChild[depth] = 0;
      depth += 1;
    } else out.byte(CLOSE_NODE);
  }
  for (const [key, value] of Object.entries(fields)) {
    // As JSON.stringify does, a field it cannot write (undefined, a function) is left out.
    const json = JSON.stringify(value) as string | undefined;
    if (json !== undefined) out.text(`,${JSON.stringify(key)}:${json}`);
  }
  out.byte(CLOSE_NODE);
  return out.done();
}
