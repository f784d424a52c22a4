import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Commit } from './commit.js';
import type { Database } from 'lmdb';
import type { CountsKey, FleetKey, StoreDatabases } from './layout.js';
import { unpackCounts } from './packed-counts.js';
import type { LiveIds, StackDictionary } from './stack-dictionary.js';

/** Meta key: dictionary entries the last collection kept, what growth is measured from. */
const KEPT_KEY = 'stacksKeptByLastCollection';

/** When a collection pays: the dictionary grew by `entries` and by `fraction` of what the last one kept. */
export interface CollectionThreshold {
  entries: number;
  fraction: number;
}

/**
 * A mark reads every bucket, so it runs only once the dictionary grew enough
 * for that read to pay: at most about a third of the entries are then
 * garbage, and the work stays proportional to the entries added.
 */
export const DEFAULT_COLLECTION_THRESHOLD: CollectionThreshold = { entries: 100_000, fraction: 0.5 };

/** Packed bytes the mark reads per event-loop turn (about a millisecond of unpacking each 100 KB). */
const MARK_BYTES_PER_TURN = 512 * 1024;
/** Buckets the mark reads per turn at most, however small. */
const MARK_BUCKETS_PER_TURN = 2000;
/** Dictionary ids looked at per sweep transaction: a kept one costs a bit test. */
const SWEEP_LOOKS_PER_TRANSACTION = 100_000;
/**
 * Entries deleted per sweep transaction at most: each costs a read, a sha256
 * and two deletes. The deletes from stackIds land on random pages (its keys
 * are digests), and each page a transaction changes is a copy LMDB keeps
 * until the transaction after next, so the file must hold some three
 * transactions' worth of changed pages besides the data, and every page of
 * it ends up mapped (resident). 5,000 deletes changed about half of
 * stackIds' pages per transaction: the memory bench's file was 174 MB
 * (6 M stacks over 24 days), 147 MB with 1,000, no slower.
 */
export const SWEEP_DELETES_PER_TRANSACTION = 1000;

export interface CollectionResult {
  kept: number;
  deleted: number;
}

export interface CollectionDeps {
  dbs: StoreDatabases;
  dictionary: StackDictionary;
  commit: Commit;
  /** Resolves once every write begun so far has settled. */
  settleWrites: () => Promise<unknown>;
  /** False once the store is closing: the collection then stops where it is. */
  stillOpen: () => boolean;
}

export function collectionDue(deps: CollectionDeps, threshold: CollectionThreshold): boolean {
  const kept = deps.dbs.meta.get(KEPT_KEY) ?? 0;
  const growth = deps.dictionary.storedCount() - kept;
  return growth > 0 && growth >= Math.max(threshold.entries, kept * threshold.fraction);
}

/**
 * Deletes the dictionary entries no bucket references. Every id handed out
 * from the start on is protected (see LiveIds); writes begun before it are
 * waited for, so their buckets are there to mark. Then a mark over every
 * bucket, a turn at a time, and a sweep in bounded transactions. Must not
 * run beside maintenance (rollups move ids between buckets): the store runs
 * it as part of its maintenance. Ids another process writing to the same
 * folder hands out meanwhile are not protected: one server owns a folder.
 */
export async function collectDictionary(deps: CollectionDeps): Promise<CollectionResult | null> {
  const { dbs, dictionary, commit } = deps;
  const live = dictionary.beginCollection();
  try {
    await deps.settleWrites();
    // Fleet buckets hold ids too (sums of every host's buckets).
    if (!(await markBuckets(dbs.counts, live, deps.stillOpen)) || !(await markBuckets(dbs.fleet, live, deps.stillOpen))) return null;
    let deleted = 0;
    let swept = -1;
    for (let done = false; !done; ) {
      if (!deps.stillOpen()) return null;
      const step = await commit(() => dictionary.sweepInTransaction(live, swept, SWEEP_LOOKS_PER_TRANSACTION, SWEEP_DELETES_PER_TRANSACTION));
      swept = step.last;
      deleted += step.deleted;
      done = step.done;
    }
    const kept = dictionary.storedCount();
    await commit(() => dbs.meta.put(KEPT_KEY, kept));
    return { kept, deleted };
  } finally {
    dictionary.endCollection();
  }
}

type BucketKey = CountsKey | FleetKey;

/**
 * Keeps every id the buckets of `buckets` hold, a turn at a time (a turn
 * ends after MARK_BUCKETS_PER_TURN buckets or MARK_BYTES_PER_TURN bytes, and
 * the next resumes after the last key). False when the store closed meanwhile.
 */
async function markBuckets<K extends BucketKey>(buckets: Database<Buffer, K>, live: LiveIds, stillOpen: () => boolean): Promise<boolean> {
  let after: K | undefined;
  for (let marked = false; !marked; ) {
    if (!stillOpen()) return false;
    let bytes = 0;
    let count = 0;
    marked = true;
    for (const { key, value } of buckets.getRange(after === undefined ? {} : { start: after })) {
      if (after !== undefined && count === 0 && sameKey(key, after)) continue;
      unpackCounts(value, { add: (id) => live.keep(id) });
      after = key;
      bytes += value.length;
      if (++count >= MARK_BUCKETS_PER_TURN || bytes >= MARK_BYTES_PER_TURN) {
        marked = false;
        break;
      }
    }
    await nextTurn();
  }
  return true;
}

function sameKey(a: BucketKey, b: BucketKey): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
