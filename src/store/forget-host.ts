import type { Commit } from './commit.js';
import { bucketTotal, removeBucket } from './bucket-writes.js';
import { MAX_TIME, type CountsKey, type StoreDatabases } from './layout.js';
import { COARSEST_LEVEL } from './levels.js';
import { resetFleet } from './fleet-rollup.js';
import type { ForgottenHost } from './stack-store.js';

/** Buckets deleted per transaction, so forgetting a long-lived host never holds the writer for long. */
export const BUCKETS_PER_TRANSACTION = 2000;

/** Every bucket of `host`, of every level: keys sort by host, then level, then start. */
function allBucketsOf(host: string): { start: CountsKey; end: CountsKey } {
  return { start: [host, 0, -MAX_TIME], end: [host, COARSEST_LEVEL + 1, -MAX_TIME] };
}

/**
 * Deletes `host`'s buckets a batch per transaction, each batch from the
 * first bucket left (so buckets a write or maintenance added meanwhile go
 * too), and in the transaction that finds none left its rollup state and
 * status: the host disappears at once, with nothing of it left behind.
 * The fleet buckets, which hold its samples too, are reset: rebuilt without
 * it by later maintenance.
 * The stack dictionary stays: its entries may be other hosts' stacks too.
 */
export async function forgetHost(dbs: StoreDatabases, commit: Commit, host: string): Promise<ForgottenHost> {
  const forgotten: ForgottenHost = { buckets: 0, samples: 0, transactions: 0 };
  let done = false;
  while (!done) {
    // Counted after the commit: a work may run twice (see Committer.commit).
    const step = await commit(() => {
      // In every transaction: maintenance may rebuild fleet buckets between two of them from what is left.
      resetFleet(dbs);
      const keys = [...dbs.counts.getKeys({ ...allBucketsOf(host), limit: BUCKETS_PER_TRANSACTION })];
      let samples = 0;
      for (const key of keys) {
        // Level 0 holds every sample once; coarser levels repeat them.
        if (key[1] === 0) samples += bucketTotal(dbs, key);
        removeBucket(dbs, key);
      }
      const last = keys.length < BUCKETS_PER_TRANSACTION;
      if (last) {
        dbs.rollups.remove(host);
        dbs.hosts.remove(host);
      }
      return { buckets: keys.length, samples, last };
    });
    forgotten.buckets += step.buckets;
    forgotten.samples += step.samples;
    forgotten.transactions++;
    done = step.last;
  }
  return forgotten;
}
