import type { RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';

/**
 * The page loads only its own files: no inline script, no inline style but
 * the exact texts whose hashes are given, no frames around it
 * (clickjacking), no plugins, forms and links that stay here.
 * `img-src data:` is for the page's empty favicon.
 */
export function contentSecurityPolicy(inlineStyleHashes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    ["style-src 'self'", ...inlineStyleHashes].join(' '),
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

function headersWith(policy: string): ReadonlyArray<[string, string]> {
  return [
    ['Content-Security-Policy', policy],
    // Answers are what their Content-Type says: a stored frame name is never sniffed into HTML.
    ['X-Content-Type-Options', 'nosniff'],
    // Host names and time ranges in our URLs are nobody else's business.
    ['Referrer-Policy', 'no-referrer'],
  ];
}

/** The policy without inline-style exceptions: for answers that are not pages. */
const STRICT_HEADERS = headersWith(contentSecurityPolicy());

/** Sets the headers on an answer that leaves outside the app (the shutdown 503). */
export function setSecurityHeaders(res: ServerResponse | Response, headers = STRICT_HEADERS): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/** Mounted first, so every answer carries them: pages, API, assets, errors and 404s. */
export function securityHeaders(inlineStyleHashes: readonly string[] = []): RequestHandler {
  const headers = headersWith(contentSecurityPolicy(inlineStyleHashes));
  return (_req, res, next) => {
    setSecurityHeaders(res, headers);
    next();
  };
}
