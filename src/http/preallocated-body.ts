import type { Request, RequestHandler } from 'express';
import { runInTurns, type ParseSteps } from '../collector/formats/parse-steps.js';
import { HttpError } from '../http-error.js';

/** Bytes of a chunked body joined per turn of the event loop. */
const JOIN_STEP_BYTES = 1024 * 1024;

/**
 * Reads a request body as express.raw does, for the common cases: no
 * Content-Encoding, and either a Content-Length within `limit` or a chunked
 * body. express.raw concatenates all the chunks in one task once the last
 * has come: for a 25 MB push that copy, into memory never touched before (a
 * page fault every 4 KB), held the event loop for 125–430 ms. A body with a
 * length is copied into a buffer of that length as its chunks arrive; a
 * chunked one, whose length is known only at its end, is joined a megabyte a
 * turn. Any other request (an encoded body, one announced over the limit, one
 * with no body) is left to the express.raw that follows, which finds a body
 * read here already done and skips it.
 */
export function preallocatedBody(limit: number): RequestHandler {
  return (req, _res, next) => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') return next();
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined) {
      return readChunked(req, limit, next);
    }
    const length = Number(req.headers['content-length']);
    if (!Number.isSafeInteger(length) || length <= 0 || length > limit) return next();
    // Node's HTTP parser delivers exactly Content-Length bytes, or an error when the client goes away first.
    const body = Buffer.allocUnsafe(length);
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.copy(body, received);
    });
    req.once('end', () => {
      req.body = body.subarray(0, received);
      next();
    });
    req.once('error', next);
  };
}

/**
 * A body over `limit` is read to its end and dropped, then refused with
 * express.raw's 413 and message, so the client sees its whole request
 * answered on a connection left in step.
 */
function readChunked(req: Request, limit: number, next: (err?: unknown) => void): void {
  let chunks: Buffer[] = [];
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) chunks = [];
    else chunks.push(chunk);
  });
  req.once('end', () => {
    if (received > limit) return next(new HttpError(413, 'request entity too large'));
    runInTurns(joinSteps(chunks, received)).then((body) => {
      req.body = body;
      next();
    }, next);
  });
  req.once('error', next);
}

/** `chunks` copied into one buffer of `length` bytes, pausing after each JOIN_STEP_BYTES or so. */
function* joinSteps(chunks: readonly Buffer[], length: number): ParseSteps<Buffer> {
  const body = Buffer.allocUnsafe(length);
  let copied = 0;
  let stepEnd = JOIN_STEP_BYTES;
  for (const chunk of chunks) {
    if (copied >= stepEnd) {
      yield;
      stepEnd = copied + JOIN_STEP_BYTES;
    }
    copied += chunk.copy(body, copied);
  }
  return body;
}
