import { constants, crc32, deflateRawSync } from 'node:zlib';
import { GZIP_LEVEL, worthGzipping } from '../http/compression.js';
import type { TimeRange } from './query-params.js';
import { gzipAnswer, JSON_TYPE, type ViewAnswer } from './view-answer.js';

/**
 * Where a JSON answer's last field, its `meta`, begins, so the answer can be
 * given again for another range: /profile and /functions answers name the
 * range they were asked for in meta.from and meta.until and nowhere else, so
 * while the samples in the range stay the same (`-5m` asked a few seconds
 * later) only those bytes change. Gzipped, the part before the tail is
 * deflated on its own and ends on a byte boundary (a sync flush), and the
 * tail follows as a stored block: a new tail costs a copy and a CRC of a few
 * hundred bytes, never deflating again.
 */
export interface MetaTail {
  /** The answer's meta, as its body holds it. */
  meta: Record<string, unknown> & TimeRange;
  /** Where the tail begins in the body: after the head, or after the gzip header and the deflated head. */
  headEnd: number;
  /** Gzipped bodies: the CRC-32 and length of the head before deflating, which the gzip trailer sums over. */
  headCrc: number;
  headLength: number;
}

const META_FIELD = Buffer.from(',"meta":');
/** The closing brace of the whole answer, after its meta. */
const CLOSE = 0x7d;
/** ID1 ID2, deflate, no flags, no time, no extra flags, Unix: what zlib writes. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** Longest stored block deflate allows. */
const STORED_BLOCK_BYTES = 0xffff;

/**
 * `answer` (as a query view built it, not yet gzipped), gzipped if `gzip`
 * and worth it, with its MetaTail when it is JSON ending with a meta object
 * that has numeric `from` and `until` and reads back as the same bytes;
 * otherwise as gzipAnswer would give it, without one.
 */
export function withMetaTail(answer: ViewAnswer, gzip: boolean): ViewAnswer {
  const split = answer.contentType === JSON_TYPE && answer.contentEncoding === undefined ? splitMeta(answer.body) : null;
  const deflate = gzip && worthGzipping(answer.contentType, answer.body.byteLength);
  if (split === null) return gzip ? gzipAnswer(answer) : answer;
  const { head, tail, meta } = split;
  if (!deflate) return { ...answer, metaTail: { meta, headEnd: head.byteLength, headCrc: 0, headLength: head.byteLength } };
  const deflatedHead = deflateRawSync(head, { level: GZIP_LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
  const headCrc = crc32(head);
  const body = Buffer.concat([GZIP_HEADER, deflatedHead, gzipEnd(tail, headCrc, head.byteLength)]);
  return {
    ...answer,
    contentEncoding: 'gzip',
    body,
    metaTail: { meta, headEnd: GZIP_HEADER.byteLength + deflatedHead.byteLength, headCrc, headLength: head.byteLength },
  };
}

/** `answer` as it would have been had it been asked for `range`: only its meta's from and until change. */
export function answerForRange(answer: ViewAnswer, range: TimeRange): ViewAnswer {
  const { metaTail, ...rest } = answer;
  if (metaTail === undefined) throw new Error('answerForRange: the answer has no meta tail');
  const { meta, headEnd, headCrc, headLength } = metaTail;
  if (meta.from === range.from && meta.until === range.until) return rest;
  const tail = Buffer.from(`${JSON.stringify({ ...meta, from: range.from, until: range.until })}}`);
  const head = answer.body.subarray(0, headEnd);
  const body = answer.contentEncoding === 'gzip' ? Buffer.concat([head, gzipEnd(tail, headCrc, headLength)]) : Buffer.concat([head, tail]);
  return { ...rest, body };
}

/**
 * `answer`, built for `builtFor`, as it is for `range`: its meta rewritten
 * where it has a MetaTail, as it is when the ranges are the same, undefined
 * otherwise (a download names its range in its file name).
 */
export function answerGivenAgain(answer: ViewAnswer, builtFor: TimeRange, range: TimeRange): ViewAnswer | undefined {
  if (answer.metaTail !== undefined) return answerForRange(answer, range);
  return builtFor.from === range.from && builtFor.until === range.until ? answer : undefined;
}

/** The body's head and tail (its meta's JSON and the closing brace), or null when it does not end with a meta naming a range. */
function splitMeta(body: Uint8Array): { head: Buffer; tail: Buffer; meta: MetaTail['meta'] } | null {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A quote inside a JSON string is escaped: the last `,"meta":` outside one is the root's last field.
  const field = bytes.lastIndexOf(META_FIELD);
  if (field === -1 || bytes[bytes.length - 1] !== CLOSE) return null;
  const tailStart = field + META_FIELD.byteLength;
  const tail = bytes.subarray(tailStart);
  let meta: unknown;
  try {
    meta = JSON.parse(tail.subarray(0, tail.length - 1).toString());
  } catch {
    return null;
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
  const { from, until } = meta as Record<string, unknown>;
  if (typeof from !== 'number' || typeof until !== 'number') return null;
  // Written again, the tail must be what the body holds, byte for byte.
  if (!tail.equals(Buffer.from(`${JSON.stringify(meta)}}`))) return null;
  return { head: bytes.subarray(0, tailStart), tail, meta: meta as MetaTail['meta'] };
}

/**
 * What follows a sync-flushed deflate of a head of `headLength` bytes whose
 * CRC-32 is `headCrc`: `tail` as stored blocks, the last one final, then the
 * gzip trailer over head and tail.
 */
function gzipEnd(tail: Buffer, headCrc: number, headLength: number): Buffer {
  const blocks = Math.max(1, Math.ceil(tail.byteLength / STORED_BLOCK_BYTES));
  const end = Buffer.alloc(blocks * 5 + tail.byteLength + 8);
  let at = 0;
  for (let block = 0; block < blocks; block++) {
    const piece = tail.subarray(block * STORED_BLOCK_BYTES, (block + 1) * STORED_BLOCK_BYTES);
    // BFINAL on the last, BTYPE 00 (stored); the sync flush left the stream on a byte boundary.
    end[at++] = block === blocks - 1 ? 1 : 0;
    end.writeUInt16LE(piece.byteLength, at);
    end.writeUInt16LE(piece.byteLength ^ 0xffff, at + 2);
    at += 4;
    at += piece.copy(end, at);
  }
  end.writeUInt32LE(crc32(tail, headCrc), at);
  end.writeUInt32LE((headLength + tail.byteLength) % 2 ** 32, at + 4);
  return end;
}
