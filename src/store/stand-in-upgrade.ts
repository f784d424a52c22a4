import type { CountsKey, StoreDatabases } from './layout.js';
import { rewriteInBatches } from './batched-rewrite.js';
import { valueInPlace } from './values-in-place.js';

/** Stand-ins deleted per transaction (see rewriteInBatches). */
const STAND_INS_PER_TRANSACTION = 10_000;

/**
 * Upgrades a format-3 folder to format 4 in place. Format 3 stored an empty
 * "stand-in" bucket (and its total) for a rolled-up period of one finer
 * bucket, meaning "the same as that bucket"; format 4 stores nothing there
 * and reads the finer level instead. Deleting every empty coarser bucket with
 * its total is therefore the whole upgrade, and every read gives the same
 * answer before and after it. It runs in bounded transactions: a folder cut
 * off half-way reads correctly as format 4 and is finished on the next open.
 * Returns how many stand-ins it deleted.
 */
export function dropStandIns(dbs: StoreDatabases): number {
  return rewriteInBatches<CountsKey>(dbs, (after) => standInsAfter(dbs, after), (key) => {
    dbs.counts.remove(key);
    dbs.totals.remove(key);
  });
}

/** The next stand-ins in key order after `after`; the scan ends before anything is deleted, so no cursor is open across a write. */
function standInsAfter(dbs: StoreDatabases, after: CountsKey | undefined): CountsKey[] {
  const batch: CountsKey[] = [];
  for (const key of dbs.counts.getKeys(after === undefined ? {} : { start: after })) {
    if (key[1] > 0 && valueInPlace(dbs.counts, key)?.length === 0) batch.push(key);
    if (batch.length === STAND_INS_PER_TRANSACTION) break;
  }
  return batch;
}
