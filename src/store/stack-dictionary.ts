import { hash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Commit } from './commit.js';
import type { StoreDatabases } from './layout.js';
import { StackCache } from './stack-cache.js';
import { valueInPlace } from './values-in-place.js';

const NEXT_ID_KEY = 'nextStackId';

/**
 * Stacks looked up (and, when new, created in one small transaction) at a
 * time: about 20 ms of hashing and LMDB puts for 12-frame stacks, so other
 * requests are answered between the pieces of a 100,000-stack body.
 */
export const STACKS_PER_TURN = 2_000;

/** Cache slots an eviction pass looks at per event-loop turn: some 10 ms when most are evicted. */
const CACHE_SLOTS_PER_TURN = 10_000;

/** Where the ids of a body's stacks are filled in: a typed array for a large body, a plain one for a small one. */
type Ids = { [index: number]: number };

/**
 * Bytes of a stack's sha256 the dictionary keys it by: the first 16. Its
 * keys are random, so stackIds' pages are about half full and every one is
 * resident; the whole 32 bytes made it 28 MB in the memory bench's store
 * (314,000 stacks), over a quarter of the file. Two of a billion stacks
 * share 128 bits by chance with a probability of about 1e-21.
 */
export const DIGEST_BYTES = 16;

/**
 * The digest stackDigest returns, overwritten by the next. A Buffer per
 * digest cost twice the hashing's time and a backing store outside V8's heap
 * per stack looked up or swept; a one-byte string of 32 characters is an
 * ordinary young object.
 */
const digestBytes = Buffer.alloc(DIGEST_BYTES);

/**
 * The first DIGEST_BYTES of the sha256 of a stack's UTF-8 bytes: the
 * dictionary's key, since strings can exceed LMDB's key limit. Valid until
 * the next call: lmdb copies a key as it reads or writes it.
 */
function stackDigest(utf8: Uint8Array): Buffer {
  digestBytes.write(hash('sha256', utf8, 'binary'), 0, DIGEST_BYTES, 'binary'); // 'binary' is latin1: a character per byte
  return digestBytes;
}

/** Most UTF-8 bytes a UTF-16 code unit takes. */
const MAX_UTF8_PER_UNIT = 3;

/**
 * A stack's UTF-8 bytes, as lmdb stores its string and as its digest hashes
 * it, written into one reused buffer: each new stack was encoded twice
 * (hashed, then copied by lmdb into Buffer.from's pool, 8 KB of memory
 * outside V8's heap every 30 stacks). Valid until the next call.
 */
class Utf8Scratch {
  private bytes = Buffer.allocUnsafe(64 * 1024);

  of(stack: string): Buffer {
    if (this.bytes.length < stack.length * MAX_UTF8_PER_UNIT) this.bytes = Buffer.allocUnsafe(stack.length * MAX_UTF8_PER_UNIT * 2);
    return this.bytes.subarray(0, this.bytes.write(stack, 0, 'utf8'));
  }
}

/**
 * The ids a dictionary collection keeps: those its mark finds in buckets, and
 * every id the dictionary hands out while it runs (a write may store them in
 * a bucket the mark has already passed). Only ids below `limit` (the counter
 * when the collection began) may be swept: later ids are new.
 */
export class LiveIds {
  private readonly bits: Uint32Array;

  constructor(readonly limit: number) {
    this.bits = new Uint32Array(Math.ceil(limit / 32));
  }

  keep(id: number): void {
    if (id < this.limit) this.bits[id >>> 5] |= 1 << (id & 31);
  }

  has(id: number): boolean {
    return id >= this.limit || (this.bits[id >>> 5] & (1 << (id & 31))) !== 0;
  }
}

/**
 * Stack string <-> id. Ids come from a counter read and written inside a
 * write transaction, so processes sharing the folder never give one id to two
 * strings, and never reuse one: a stack whose id was collected gets a new id
 * when it comes back. Every id handed out goes through handOut(), which
 * protects it from a collection under way.
 *
 * Both directions are cached within a bound (see StackCache), and the cache
 * follows collections: a sweep forgets its ids in the sweep's own transaction
 * callback. So an id found in the cache is either protected (handed out
 * while a collection runs) or will be waited for by the next one (it waits
 * for the writes begun before it); a stack the cache misses is looked up
 * inside a write transaction, ordered after any sweep that deleted it.
 */
export class StackDictionary {
  private readonly cache: StackCache;
  private collecting: LiveIds | null = null;
  private readonly utf8 = new Utf8Scratch();

  constructor(
    private readonly dbs: StoreDatabases,
    private readonly commit: Commit,
    cacheChars?: number,
  ) {
    this.cache = new StackCache(cacheChars);
  }

  /**
   * The id of every stack, creating the missing ones, for a body too large
   * for one transaction: STACKS_PER_TURN stacks at a time, each piece's
   * misses looked up or created in a small transaction of its own, with a
   * turn of the event loop between pieces. An entry created for a write that
   * then fails to commit is only an unused entry: the next write of that
   * stack reuses it, or a collection deletes it.
   */
  async idsOf(stacks: readonly string[]): Promise<Uint32Array> {
    const ids = new Uint32Array(stacks.length);
    for (let start = 0; start < stacks.length; start += STACKS_PER_TURN) {
      if (start > 0) await nextTurn();
      const misses = this.idsFromCache(stacks, start, Math.min(start + STACKS_PER_TURN, stacks.length), ids);
      if (misses.length > 0) await this.commitLookups(stacks, misses, ids, () => this.idsInTransaction(stacks, misses, ids));
    }
    return ids;
  }

  /**
   * Commits `work` with the id of every stack of a body of at most
   * STACKS_PER_TURN stacks, its misses looked up or created in the same
   * transaction: a small body is a single transaction.
   */
  commitWithIds<T>(stacks: readonly string[], work: (ids: readonly number[]) => T): Promise<T> {
    if (stacks.length > STACKS_PER_TURN) return Promise.reject(new RangeError(`commitWithIds: ${stacks.length} stacks are more than one transaction's ${STACKS_PER_TURN}; use idsOf`));
    // A plain array: a typed array this small still gets a backing store outside V8's heap, slow to create and to collect.
    const ids: number[] = new Array<number>(stacks.length).fill(0);
    const misses = this.idsFromCache(stacks, 0, stacks.length, ids);
    return this.commitLookups(stacks, misses, ids, () => {
      this.idsInTransaction(stacks, misses, ids);
      return work(ids);
    });
  }

  /**
   * Commits `lookups`, which fill in the ids of stacks[misses], then caches
   * them: ids from a transaction that did not commit were never stored. (A
   * work may run twice, see Committer.commit: `ids` then holds the committed
   * run's.)
   */
  private commitLookups<T>(stacks: readonly string[], misses: readonly number[], ids: Ids, lookups: () => T): Promise<T> {
    // A body whose stacks were all cached (most of them) has nothing to cache: no reaction, no promise of its own.
    if (misses.length === 0) return this.commit(lookups);
    return this.commit(lookups).then((result) => {
      for (const index of misses) this.cache.set(stacks[index], ids[index]);
      return result;
    });
  }

  /** The id of `stack` when the cache holds it (handed out, as every id is); undefined otherwise. */
  cachedIdOf(stack: string): number | undefined {
    const id = this.cache.idOf(stack);
    return id === undefined ? undefined : this.handOut(id);
  }

  /** Fills ids[start..end) from the cache; returns the indexes it missed. */
  private idsFromCache(stacks: readonly string[], start: number, end: number, ids: Ids): number[] {
    const misses: number[] = [];
    for (let i = start; i < end; i++) {
      const id = this.cache.idOf(stacks[i]);
      if (id === undefined) misses.push(i);
      else ids[i] = this.handOut(id);
    }
    return misses;
  }

  /** Must run inside a write transaction: finds or creates the entries of stacks[misses]. */
  private idsInTransaction(stacks: readonly string[], misses: readonly number[], ids: Ids): void {
    let nextId: number | undefined;
    for (const index of misses) {
      const utf8 = this.utf8.of(stacks[index]);
      const digest = stackDigest(utf8);
      let id = this.dbs.stackIds.get(digest);
      if (id === undefined) {
        nextId ??= this.dbs.meta.get(NEXT_ID_KEY) ?? 0;
        id = nextId++;
        this.dbs.stackBytes.put(id, utf8);
        this.dbs.stackIds.put(digest, id);
      }
      ids[index] = this.handOut(id);
    }
    if (nextId !== undefined) this.dbs.meta.put(NEXT_ID_KEY, nextId);
  }

  /**
   * Forgets the cached stacks not written or read since the last call (see
   * StackCache.evictUnused), CACHE_SLOTS_PER_TURN at a time with a turn of
   * the event loop between: a pass over a full cache that evicts most of it
   * takes a few hundred ms.
   */
  async evictUnusedFromCache(): Promise<void> {
    const slots = this.cache.slots;
    for (let start = 0; start < slots; start += CACHE_SLOTS_PER_TURN) {
      if (start > 0) await nextTurn();
      this.cache.evictUnused(start, start + CACHE_SLOTS_PER_TURN);
    }
  }

  stackOf(id: number): string {
    let stack = this.cache.stackOf(id);
    if (stack === undefined) {
      stack = this.storedStackOf(id);
      this.cache.set(stack, id);
    }
    return stack;
  }

  /** The stack of `id` as stored, without caching it: for a reader that keeps what it needs of the stack itself. */
  storedStackOf(id: number): string {
    const stack = this.dbs.stacks.get(id);
    if (stack === undefined) throw new Error(`store is corrupt: stack id ${id} is not in the dictionary`);
    return stack;
  }

  /** Entries stored, as LMDB counts them (without reading them). */
  storedCount(): number {
    return (this.dbs.stacks.getStats() as { entryCount: number }).entryCount;
  }

  /**
   * Starts a collection: from now on every id handed out is kept. The caller
   * then marks the ids its buckets hold and sweeps with sweepInTransaction.
   */
  beginCollection(): LiveIds {
    if (this.collecting !== null) throw new Error('a dictionary collection is already under way');
    this.collecting = new LiveIds(this.dbs.meta.get(NEXT_ID_KEY) ?? 0);
    return this.collecting;
  }

  endCollection(): void {
    this.collecting = null;
  }

  /**
   * Must run inside a write transaction: looks at up to `looks` ids from
   * `after` on, below `live.limit`, and deletes those `live` does not keep
   * (at most `deletes` of them) from both databases and the cache. Returns
   * the last id looked at (`after` for none) and whether the sweep reached
   * the limit.
   */
  sweepInTransaction(live: LiveIds, after: number, looks: number, deletes: number): { last: number; deleted: number; done: boolean } {
    // The ids to delete first (kept entries are never decoded), then the deletes: no cursor walks over entries its own
    // transaction removes. The keys are read only up to the first id past this transaction's deletes: a sweep whose
    // garbage comes first (the oldest ids) read its whole `looks` every transaction, 100,000 keys for 5,000 deletes.
    const doomed: number[] = [];
    let last = after;
    let looked = 0;
    let full = false;
    for (const id of this.dbs.stacks.getKeys({ start: after + 1, end: live.limit, limit: looks })) {
      if (doomed.length === deletes) {
        full = true;
        break;
      }
      looked++;
      last = id;
      if (!live.has(id)) doomed.push(id);
    }
    let deleted = 0;
    for (const id of doomed) {
      // The stored UTF-8 bytes, read in place and hashed as they are: the digest of the string, without decoding it.
      const stack = valueInPlace(this.dbs.stackBytes, id);
      if (stack === undefined) continue;
      const digest = stackDigest(stack);
      if (this.dbs.stackIds.get(digest) === id) this.dbs.stackIds.remove(digest);
      this.dbs.stacks.remove(id);
      this.cache.forget(id);
      deleted++;
    }
    return { last, deleted, done: !full && looked < looks };
  }

  private handOut(id: number): number {
    this.collecting?.keep(id);
    return id;
  }
}
