/**
 * Writing JSON as UTF-8 bytes straight into a buffer, for answers of
 * thousands of nodes where objects and joined strings would cost most of
 * the time (see flame-selection-json.ts).
 */

export const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');

// The writers below take the buffer and the write position and return the
// next position: small pure functions V8 inlines into the loop, where
// methods on a writer object cost a call and a bounds check per piece.

/**
 * Up to this many bytes a piece is copied byte by byte; a longer one (a frame
 * name) with TypedArray#set, whose call costs more than a short loop but
 * copies some three times faster per byte (measured on 40-byte names).
 */
const SHORT_PIECE = 16;

export function copy(bytes: Buffer, at: number, piece: Uint8Array): number {
  if (piece.length > SHORT_PIECE) {
    bytes.set(piece, at);
    return at + piece.length;
  }
  for (let i = 0; i < piece.length; i++) bytes[at++] = piece[i];
  return at;
}

/**
 * Pieces of bytes kept end to end in one array, piece i at
 * `bytes[start[i] .. end[i])` (start -1: no such piece yet), with a view of
 * the same bytes so copyPiece can move them four at a time. Frame names as
 * JSON are kept so: one array read in order rather than an object per name
 * whose header a writer loads first, mostly a cache miss over thousands of
 * names, and copied without a call to TypedArray#set per piece.
 */
export interface ByteTable {
  bytes: Uint8Array;
  view: DataView;
  start: Int32Array;
  end: Int32Array;
}

/** `bytes` as a DataView, for copyPiece's writes. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A table of `texts` as UTF-8, piece i being texts[i]: the fixed texts a writer puts between its values. */
export function byteTable(texts: readonly string[]): ByteTable {
  const pieces = texts.map((text) => Buffer.from(text));
  const bytes = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  const start = new Int32Array(pieces.length);
  const end = new Int32Array(pieces.length);
  let at = 0;
  pieces.forEach((piece, i) => {
    bytes.set(piece, at);
    start[i] = at;
    at = end[i] = at + piece.length;
  });
  return { bytes, view: viewOf(bytes), start, end };
}

/**
 * Piece `piece` of `table` written at `at` into `bytes` (whose view is
 * `view`), four bytes at a time through the views (unaligned reads and
 * writes, which V8 compiles to single moves), the last few byte by byte.
 * The caller has made room (withRoom) for the piece.
 */
export function copyPiece(bytes: Uint8Array, view: DataView, at: number, table: ByteTable, piece: number): number {
  const end = table.end[piece];
  let from = table.start[piece];
  for (; from + 4 <= end; from += 4, at += 4) view.setUint32(at, table.view.getUint32(from, true), true);
  for (; from < end; from++) bytes[at++] = table.bytes[from];
  return at;
}

/** ASCII text (the root's name, numbers JSON.stringify writes) byte by byte. */
export function asciiText(bytes: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
  return at;
}

/**
 * A number as JSON writes it; counts below 2^31 (nearly every value) digit
 * by digit in integer arithmetic, without a string or a float division.
 */
export function number(bytes: Buffer, at: number, value: number): number {
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

/**
 * The buffer a writer's loop writes into, held by its caller. A writer's
 * loop is its own function returning only the write position: V8 compiles
 * a long loop while the first call runs it (on-stack replacement), before
 * any code after the loop has run, and each call of that code then bailed
 * out to the interpreter at the first call after the loop ("insufficient
 * type feedback"), until the whole function was compiled again: the
 * writers' first few dozen answers ran their tail (the compact form's names
 * table) interpreted. Growing, the loop stores the new buffer here.
 */
export interface WriteBuffer {
  bytes: Buffer;
}

/** `bytes`, or a copy twice as large (or more) when `needed` more bytes would not fit after `at`. */
export function withRoom(bytes: Buffer, at: number, needed: number): Buffer {
  if (at + needed <= bytes.length) return bytes;
  const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + needed));
  bytes.copy(grown, 0, 0, at);
  return grown;
}

/**
 * Ends the object being written at `at`: `fields` after what is there (as
 * JSON.stringify does, a field it cannot write, undefined or a function, is
 * left out), then its closing brace. Returns the whole text.
 */
export function closeObject(bytes: Buffer, at: number, fields: Record<string, unknown>): Buffer {
  for (const [key, value] of Object.entries(fields)) {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) continue;
    const field = Buffer.from(`,${JSON.stringify(key)}:${json}`);
    bytes = withRoom(bytes, at, field.length + 1);
    at = copy(bytes, at, field);
  }
  bytes = withRoom(bytes, at, 1);
  bytes[at++] = 125;
  return bytes.subarray(0, at);
}
