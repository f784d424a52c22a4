import type { RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';

/**
 * The page loads only its own files: no inline script or style, no frames
 * around it (clickjacking), no plugins, forms and links that stay here.
 * `img-src data:` is for the page's empty favicon.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: ReadonlyArray<[string, string]> = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  // Answers are what their Content-Type says: a stored frame name is never sniffed into HTML.
  ['X-Content-Type-Options', 'nosniff'],
  // Host names and time ranges in our URLs are nobody else's business.
  ['Referrer-Policy', 'no-referrer'],
];

/** Sets the headers on an answer that leaves before or outside the app (the shutdown 503). */
export function setSecurityHeaders(res: ServerResponse | Response): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
}

/** Mounted first, so every answer carries them: pages, API, assets, errors and 404s. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  setSecurityHeaders(res);
  next();
};
