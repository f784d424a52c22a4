import type { CountsKey, StoreDatabases } from './layout.js';
import { valueInPlace } from './values-in-place.js';

/** Stand-ins deleted per transaction: an upgrade of a large fleet's folder never holds the writer long, and a crash mid-way loses nothing (see dropStandIns). */
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
  let dropped = 0;
  let after: CountsKey | undefined;
  for (;;) {
    const batch = standInsAfter(dbs, after);
    if (batch.length === 0) return dropped;
    dbs.env.transactionSync(() => {
      for (const key of batch) {
        dbs.counts.remove(key);
        dbs.totals.remove(key);
      }
    });
    dropped += batch.length;
    after = batch[batch.length - 1];
  }
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
