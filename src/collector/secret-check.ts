import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { carriesSecret } from '../profiler-token.js';

/**
 * Lets a request on only when it carries the collector's secret, checked
 * from the headers before anything else (the body is never read, a stranger
 * costs nothing): 403 and a closed connection otherwise.
 */
export function refuseWithoutSecret(secretDigest: Buffer): RequestHandler {
  return (req, res, next) => {
    if (carriesSecret(req.headers, secretDigest)) return next();
    // Close rather than drain the unread body.
    res.setHeader('Connection', 'close');
    throw new HttpError(403, 'wrong or missing Profiler-Token');
  };
}
