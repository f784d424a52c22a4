import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether the request carries the secret in `Profiler-Token` or `PROFILER_TOKEN`
 * (the Python sampler's two spellings; Node lowercases header names).
 * Compared as SHA-256 digests so the comparison takes the same time whatever
 * the lengths and contents.
 */
export function carriesSecret(headers: IncomingHttpHeaders, secretDigest: Buffer): boolean {
  let matched = false;
  for (const value of [headers['profiler-token'], headers['profiler_token']]) {
    if (typeof value === 'string' && timingSafeEqual(sha256(value), secretDigest)) matched = true;
  }
  return matched;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
