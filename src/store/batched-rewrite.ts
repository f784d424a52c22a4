import type { StoreDatabases } from './layout.js';

/**
 * Runs an in-place upgrade of a store folder in bounded transactions:
 * `next(after)` reads the next batch of items after the last one handled
 * (undefined at first), all of it before anything is written, so no cursor
 * is open across a write; `rewrite` changes one item inside its batch's
 * transaction. An upgrade of a large folder never holds the writer long,
 * and one cut off between batches loses nothing: what committed stays, and
 * the next open resumes. Returns how many items were rewritten.
 */
export function rewriteInBatches<T>(dbs: StoreDatabases, next: (after: T | undefined) => T[], rewrite: (item: T) => void): number {
  let rewritten = 0;
  let after: T | undefined;
  for (;;) {
    const batch = next(after);
    if (batch.length === 0) return rewritten;
    dbs.env.transactionSync(() => {
      for (const item of batch) rewrite(item);
    });
    rewritten += batch.length;
    after = batch[batch.length - 1];
  }
}
