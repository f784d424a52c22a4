import type { RequestHandler, Response } from 'express';
import { constants, createGzip, type Gzip } from 'node:zlib';

/**
 * gzip for answers that shrink (JSON, text, scripts, styles, SVG), when the
 * client asks for it. A flame tree of 8,000 nodes is ~440 KB of JSON that
 * repeats frame names: gzip takes it to an eighth. The deflating runs on
 * libuv's thread pool (zlib streams), not on the event loop. Its level is
 * the largest part of a small query's time left once the tree is written
 * fast, measured on such a tree (CPU ms / KB): level 2 1.6 / 50–56, level 4
 * 3.3 / 46–51, level 6 6.2 / 38–46. Level 2 halves level 4's cost for 10 %
 * more bytes (a few KB: well under a millisecond on a 100 Mbit/s link), and
 * level 1 takes another 12–20 % off level 2 for 3–5 % more (W2's 5-minute
 * answer: tree 1.68 → 1.48 ms, 50.9 → 53.3 KB; compact 1.68 → 1.35 ms,
 * 48.6 → 50.0 KB). (Brotli at quality 1 would be faster still and as small,
 * but browsers offer it over HTTPS only.)
 *
 * What it leaves alone: HEAD, answers other than 200, bodies that are
 * already encoded or are not text, and bodies known to be under
 * `minBytes` (not worth a header and a round through zlib).
 */
export const GZIP_LEVEL = 1;

export interface CompressionOptions {
  minBytes?: number;
  level?: number;
}

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml)|image\/svg\+xml)/;
/** Below this many bytes an answer goes out as it is. */
export const DEFAULT_MIN_BYTES = 1024;

/** Whether a 200 answer of `contentType` and `bytes` is worth gzipping (for a client that accepts gzip). */
export function worthGzipping(contentType: string, bytes: number, minBytes = DEFAULT_MIN_BYTES): boolean {
  return COMPRESSIBLE.test(contentType) && bytes >= minBytes;
}

/** Whether `header` (Accept-Encoding) accepts gzip: listed (or `*`) with a q above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let accepted = false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';').map((token) => token.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    // An explicit gzip entry decides over the wildcard.
    if (coding === 'gzip') return weight > 0;
    accepted = weight > 0;
  }
  return accepted;
}

function worthCompressing(res: Response, minBytes: number): boolean {
  if (res.statusCode !== 200 || res.hasHeader('Content-Encoding')) return false;
  const length = res.getHeader('Content-Length');
  // An unknown length is a stream: worth it whatever its first chunk.
  return worthGzipping(String(res.getHeader('Content-Type') ?? ''), length === undefined ? minBytes : Number(length), minBytes);
}

type Write = (chunk: unknown, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => boolean;
type End = (chunk?: unknown, encoding?: BufferEncoding | (() => void), callback?: () => void) => Response;

export function compressResponses({ minBytes = DEFAULT_MIN_BYTES, level = GZIP_LEVEL }: CompressionOptions = {}): RequestHandler {
  return (req, res, next) => {
    res.vary('Accept-Encoding');
    if (req.method === 'HEAD' || !acceptsGzip(req.headers['accept-encoding'])) {
      next();
      return;
    }
    const write = res.write.bind(res) as Write;
    const end = res.end.bind(res) as End;
    /** undefined until the first write or end shows the headers; null when this answer goes out as it is. */
    let gzip: Gzip | null | undefined;

    function decide(): Gzip | null {
      if (gzip !== undefined) return gzip;
      if (!worthCompressing(res, minBytes)) return (gzip = null);
      res.setHeader('Content-Encoding', 'gzip');
      res.removeHeader('Content-Length');
      const stream = createGzip({ level, flush: constants.Z_NO_FLUSH });
      stream.on('data', (chunk: Buffer) => {
        if (!write(chunk)) {
          stream.pause();
          res.once('drain', () => stream.resume());
        }
      });
      stream.on('end', () => end());
      // The caller writes into the gzip stream; its backpressure is what the caller sees.
      stream.on('drain', () => res.emit('drain'));
      // A client gone mid-answer: stop deflating what nobody reads.
      res.once('close', () => stream.destroy());
      return (gzip = stream);
    }

    res.write = ((chunk, encoding, callback) => {
      const stream = decide();
      if (stream === null) return write(chunk, encoding, callback);
      return typeof encoding === 'function' ? stream.write(chunk, encoding) : stream.write(chunk, encoding ?? 'utf8', callback);
    }) as Write as Response['write'];

    res.end = ((chunk, encoding, callback) => {
      if (gzip === undefined && chunk !== undefined && typeof chunk !== 'function' && !res.hasHeader('Content-Length')) {
        // A whole body in one call: its size is known, so small ones stay as they are.
        res.setHeader('Content-Length', Buffer.byteLength(chunk as string | Buffer, typeof encoding === 'string' ? encoding : 'utf8'));
      }
      const stream = decide();
      if (stream === null) return end(chunk, encoding, callback);
      const done = typeof chunk === 'function' ? (chunk as () => void) : typeof encoding === 'function' ? encoding : callback;
      if (done) res.once('finish', done);
      if (chunk !== undefined && typeof chunk !== 'function') stream.end(chunk, typeof encoding === 'string' ? encoding : 'utf8');
      else stream.end();
      return res;
    }) as End as Response['end'];
    next();
  };
}
