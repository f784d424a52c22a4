import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` is the secret, in time that does not depend on where they
 * differ: both are hashed first so even their lengths stay hidden.
 */
export function secretMatches(given: string | undefined, secret: string): boolean {
  if (given === undefined || secret === '') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
