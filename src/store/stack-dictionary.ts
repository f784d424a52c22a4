import { createHash } from 'node:crypto';
import type { StoreDatabases } from './layout.js';

const NEXT_ID_KEY = 'nextStackId';

/** Dictionary entries a write transaction found or created, to cache once it commits. */
export type LearnedStacks = Array<[stack: string, id: number]>;

/**
 * Stack string <-> id. Ids come from a counter read and written inside the
 * write transaction, so processes sharing the folder never give one id to two
 * strings. Ids never change, so both directions are cached in memory; the
 * string -> id cache only learns entries after their transaction committed.
 */
export class StackDictionary {
  private readonly idsByStack = new Map<string, number>();
  private readonly stacksById = new Map<number, string>();

  constructor(private readonly dbs: StoreDatabases) {}

  /** Must run inside a write transaction. */
  idsInTransaction(stacks: readonly string[], learned: LearnedStacks): Uint32Array {
    const ids = new Uint32Array(stacks.length);
    let nextId: number | undefined;
    for (let i = 0; i < stacks.length; i++) {
      const stack = stacks[i];
      let id = this.idsByStack.get(stack);
      if (id === undefined) {
        const digest = createHash('sha256').update(stack).digest();
        id = this.dbs.stackIds.get(digest);
        if (id === undefined) {
          nextId ??= this.dbs.meta.get(NEXT_ID_KEY) ?? 0;
          id = nextId++;
          this.dbs.stacks.put(id, stack);
          this.dbs.stackIds.put(digest, id);
        }
        learned.push([stack, id]);
      }
      ids[i] = id;
    }
    if (nextId !== undefined) this.dbs.meta.put(NEXT_ID_KEY, nextId);
    return ids;
  }

  /** Call after the transaction that produced `learned` committed. */
  remember(learned: LearnedStacks): void {
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
