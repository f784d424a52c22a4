import { hash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Commit } from './commit.js';
import type { StoreDatabases } from './layout.js';

const NEXT_ID_KEY = 'nextStackId';

/**
 * Stacks looked up (and, when new, created in one small transaction) per turn
 * of the event loop: about 20 ms of hashing and LMDB puts for 12-frame
 * stacks, so other requests are answered while a 100,000-stack body is stored.
 */
export const STACKS_PER_TURN = 2_000;

/** Dictionary entries found or created, to cache once their transaction committed. */
type LearnedStacks = Array<[stack: string, id: number]>;

/** sha256 of a stack: the dictionary's key, since strings can exceed LMDB's key limit. */
function digestOf(stack: string): Buffer {
  return hash('sha256', stack, 'buffer');
}

/**
 * Stack string <-> id. Ids come from a counter read and written inside a
 * write transaction, so processes sharing the folder never give one id to two
 * strings. Ids never change, so both directions are cached in memory; the
 * string -> id cache only learns entries after their transaction committed.
 */
export class StackDictionary {
  private readonly idsByStack = new Map<string, number>();
  private readonly stacksById = new Map<number, string>();

  constructor(
    private readonly dbs: StoreDatabases,
    private readonly commit: Commit,
  ) {}

  /**
   * The id of every stack, creating the missing ones, STACKS_PER_TURN at a
   * time with a turn of the event loop between: each group's new entries are
   * committed in their own small transaction before the next group. An entry
   * created for a write that then fails to commit is only an unused entry:
   * no bucket refers to it, and the next write of that stack reuses it.
   */
  async idsOf(stacks: readonly string[]): Promise<Uint32Array> {
    const ids = new Uint32Array(stacks.length);
    for (let start = 0; start < stacks.length; start += STACKS_PER_TURN) {
      if (start > 0) await nextTurn();
      const end = Math.min(stacks.length, start + STACKS_PER_TURN);
      const learned: LearnedStacks = [];
      const missing: Array<{ index: number; digest: Buffer }> = [];
      for (let i = start; i < end; i++) {
        const stack = stacks[i];
        let id = this.idsByStack.get(stack);
        if (id === undefined) {
          const digest = digestOf(stack);
          id = this.dbs.stackIds.get(digest);
          if (id === undefined) {
            missing.push({ index: i, digest });
            continue;
          }
          learned.push([stack, id]);
        }
        ids[i] = id;
      }
      if (missing.length > 0) await this.commit(() => this.createInTransaction(stacks, missing, ids, learned));
      // Only now: ids from a transaction that did not commit were never stored.
      this.remember(learned);
    }
    return ids;
  }

  /**
   * Creates the entries still missing inside this write transaction: another
   * write (or process) may have created some since they were looked up.
   */
  private createInTransaction(stacks: readonly string[], missing: Array<{ index: number; digest: Buffer }>, ids: Uint32Array, learned: LearnedStacks): void {
    let nextId: number | undefined;
    for (const { index, digest } of missing) {
      let id = this.dbs.stackIds.get(digest);
      if (id === undefined) {
        nextId ??= this.dbs.meta.get(NEXT_ID_KEY) ?? 0;
        id = nextId++;
        this.dbs.stacks.put(id, stacks[index]);
        this.dbs.stackIds.put(digest, id);
      }
      ids[index] = id;
      learned.push([stacks[index], id]);
    }
    if (nextId !== undefined) this.dbs.meta.put(NEXT_ID_KEY, nextId);
  }

  private remember(learned: LearnedStacks): void {
    for (const [stack, id] of learned) {
      this.idsByStack.set(stack, id);
      this.stacksById.set(id, stack);
    }
  }

  stackOf(id: number): string {
    let stack = this.stacksById.get(id);
    if (stack === undefined) {
      stack = this.dbs.stacks.get(id);
      if (stack === undefined) throw new Error(`store is corrupt: stack id ${id} is not in the dictionary`);
      this.stacksById.set(id, stack);
    }
    return stack;
  }
}
