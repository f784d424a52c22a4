import type { StoreDatabases } from './layout.js';
import { rewriteInBatches } from './batched-rewrite.js';
import { DIGEST_BYTES } from './stack-dictionary.js';

/** Keys rewritten per transaction (see rewriteInBatches). */
const DIGESTS_PER_TRANSACTION = 10_000;

interface LongDigest {
  key: Buffer;
  id: number;
}

/**
 * Upgrades the dictionary's keys of a format-4 (or 3) folder in place:
 * each 32-byte sha256 becomes its first DIGEST_BYTES, under the same id,
 * which is the key a lookup now makes. Each transaction rewrites a batch
 * whole, so a folder cut off half-way holds each stack under one key or the
 * other; it keeps its old format and is finished on the next open, before
 * any lookup. Returns how many keys it rewrote.
 */
export function shortenDigests(dbs: StoreDatabases): number {
  return rewriteInBatches<LongDigest>(dbs, (after) => longDigestsAfter(dbs, after?.key), ({ key, id }) => {
    dbs.stackIds.put(key.subarray(0, DIGEST_BYTES), id);
    dbs.stackIds.remove(key);
  });
}

/**
 * The next long keys in key order from `after` on, with their ids. A short
 * key sorts just before the long one it was cut from, so none made by an
 * earlier batch lies ahead; the scan ends before anything is written, so no
 * cursor is open across a write.
 */
function longDigestsAfter(dbs: StoreDatabases, after: Buffer | undefined): LongDigest[] {
  const batch: LongDigest[] = [];
  for (const { key, value } of dbs.stackIds.getRange(after === undefined ? {} : { start: after })) {
    if (key.length > DIGEST_BYTES) batch.push({ key: Buffer.from(key), id: value });
    if (batch.length === DIGESTS_PER_TRANSACTION) break;
  }
  return batch;
}
