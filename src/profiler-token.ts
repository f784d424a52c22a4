import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether the request carries the secret: in `Profiler-Token` or
 * `PROFILER_TOKEN` (the Python sampler's two spellings; Node lowercases header
 * names), as `Authorization: Bearer SECRET` (the Pyroscope agents' `authToken`)
 * or as the password of `Authorization: Basic` (their basic-auth settings; the
 * user name is ignored). Every candidate is compared as a SHA-256 digest, and
 * all of them always, so the time taken says nothing about the secret.
 */
export function carriesSecret(headers: IncomingHttpHeaders, secretDigest: Buffer): boolean {
  let matched = false;
  for (const value of [headers['profiler-token'], headers['profiler_token'], authorizationSecret(headers.authorization)]) {
    if (typeof value === 'string' && timingSafeEqual(sha256(value), secretDigest)) matched = true;
  }
  return matched;
}

/** The secret an Authorization header offers: a Bearer token or a Basic password. */
function authorizationSecret(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  if (space <= 0 || credentials === '') return undefined;
  if (scheme === 'bearer') return credentials;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
