import type { ErrorRequestHandler } from 'express';

/** The one error type route handlers throw; the error handler turns it into JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Sent with the error, e.g. Retry-After on a 503. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Every API error leaves as `{"error": "..."}` with its status; nothing else leaks. */
export function jsonErrorHandler(log: { error(obj: object, msg: string): void }): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).set(err.headers).json({ error: err.message });
      return;
    }
    // body-parser and friends mark client errors with a status of their own.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: (err as Error).message });
      return;
    }
    log.error({ err }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  };
}
