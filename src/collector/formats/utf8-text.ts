import { isUtf8 } from 'node:buffer';
import { BodyFormatError } from './parsed-samples.js';

/**
 * Bytes of text decoded into one string by default: small enough for V8's
 * young generation, where a string of megabytes would be fresh memory.
 */
export const TEXT_PIECE_BYTES = 64 * 1024;

/** The byte order mark a UTF-8 text may start with, which is not part of the text. */
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * The UTF-8 text of a body, as bytes: the body without a leading byte order
 * mark, or a BodyFormatError when it is not valid UTF-8. Strict, as
 * TextDecoder's `fatal` mode: bytes that are not UTF-8 (overlong forms,
 * surrogates, code points past U+10FFFF, cut sequences) refuse the whole
 * body instead of being replaced with U+FFFD. One pass over the bytes, no
 * string built: a 32 MB body is checked in a few milliseconds.
 */
export function utf8TextBytes(body: Uint8Array): Uint8Array {
  if (!isUtf8(body)) throw new BodyFormatError('body is not UTF-8 text (nor a binary format we read)');
  return UTF8_BOM.every((byte, at) => body[at] === byte) ? body.subarray(UTF8_BOM.length) : body;
}

/**
 * Valid UTF-8 `text` (see utf8TextBytes) decoded about `pieceBytes` at a
 * time: their concatenation is the text, and no piece ends inside a
 * character. Small pieces are the point: a string of tens of megabytes is
 * fresh memory, made in one task (a page fault every 4 KB, slow on a VM),
 * while pieces of 64 KB are made in V8's young generation; and an ASCII
 * piece decodes to a one-byte string, where a streaming TextDecoder makes
 * two-byte ones.
 */
export function* utf8Pieces(text: Uint8Array, pieceBytes = TEXT_PIECE_BYTES): Generator<string, void, void> {
  const buffer = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  for (let start = 0; start < buffer.length; ) {
    const end = pieceEnd(buffer, start, pieceBytes);
    yield buffer.toString('utf8', start, end);
    start = end;
  }
}

/**
 * Where a piece from `start` ends: `pieceBytes` on, moved back to the start
 * of the character it would cut (at most three bytes: continuation bytes
 * never run longer in valid UTF-8); forward past that character when the
 * piece is shorter than it.
 */
function pieceEnd(text: Uint8Array, start: number, pieceBytes: number): number {
  const nominal = start + Math.max(1, pieceBytes);
  if (nominal >= text.length) return text.length;
  let end = nominal;
  while (end > start && isContinuation(text[end])) end--;
  if (end > start) return end;
  end = nominal;
  while (end < text.length && isContinuation(text[end])) end++;
  return end;
}

/** 10xxxxxx: a byte inside a character, never the first of one. */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}
