import { createHash } from 'node:crypto';
import type { StoreDatabases } from './layout.js';
import { StackCache } from './stack-cache.js';

export const NEXT_ID_KEY = 'nextStackId';

/** Dictionary entries a write transaction found or created, to cache once it commits. */
export type LearnedStacks = Array<[stack: string, id: number]>;

export function stackDigest(stack: string): Buffer {
  return createHash('sha256').update(stack).digest();
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
 * Stack string <-> id. Ids come from a counter read and written inside the
 * write transaction, so processes sharing the folder never give one id to two
 * strings, and never reuse one: a stack whose id was collected gets a new id
 * when it comes back. Every id handed out goes through handOut(), which
 * protects it from a collection under way. Both directions are cached within
 * a bound (see StackCache); the string -> id cache only learns entries after
 * their transaction committed.
 */
export class StackDictionary {
  private readonly cache = new StackCache();
  private collecting: LiveIds | null = null;

  constructor(private readonly dbs: StoreDatabases) {}

  /** Must run inside a write transaction. */
  idsInTransaction(stacks: readonly string[], learned: LearnedStacks): Uint32Array {
    const ids = new Uint32Array(stacks.length);
    let nextId: number | undefined;
    for (let i = 0; i < stacks.length; i++) {
      const stack = stacks[i];
      let id = this.cache.idOf(stack);
      if (id === undefined) {
        const digest = stackDigest(stack);
        id = this.dbs.stackIds.get(digest);
        if (id === undefined) {
          nextId ??= this.dbs.meta.get(NEXT_ID_KEY) ?? 0;
          id = nextId++;
          this.dbs.stacks.put(id, stack);
          this.dbs.stackIds.put(digest, id);
        }
        learned.push([stack, id]);
      }
      ids[i] = this.handOut(id);
    }
    if (nextId !== undefined) this.dbs.meta.put(NEXT_ID_KEY, nextId);
    return ids;
  }

  /** Call after the transaction that produced `learned` committed. */
  remember(learned: LearnedStacks): void {
    for (const [stack, id] of learned) this.cache.set(stack, id);
  }

  stackOf(id: number): string {
    let stack = this.cache.stackOf(id);
    if (stack === undefined) {
      stack = this.dbs.stacks.get(id);
      if (stack === undefined) throw new Error(`store is corrupt: stack id ${id} is not in the dictionary`);
      this.cache.set(stack, id);
    }
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
    let last = after;
    let deleted = 0;
    // Keys first (kept entries are never decoded), then deletes: no cursor walks over entries its own transaction removes.
    const ids = [...this.dbs.stacks.getKeys({ start: after + 1, end: live.limit, limit: looks })];
    for (const id of ids) {
      if (deleted === deletes) return { last, deleted, done: false };
      last = id;
      if (live.has(id)) continue;
      const stack = this.dbs.stacks.get(id);
      if (stack === undefined) continue;
      const digest = stackDigest(stack);
      if (this.dbs.stackIds.get(digest) === id) this.dbs.stackIds.remove(digest);
      this.dbs.stacks.remove(id);
      this.cache.forget(id);
      deleted++;
    }
    return { last, deleted, done: ids.length < looks };
  }

  private handOut(id: number): number {
    this.collecting?.keep(id);
    return id;
  }
}
