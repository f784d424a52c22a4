/**
 * Characters of stack strings the cache holds at most, over its two
 * generations: about 64 MB of one-byte strings, which keeps the stacks of a
 * busy fleet's recent collections and answers, yet stays small next to a
 * dictionary of millions.
 */
export const STACK_CACHE_CHARS = 64 * 1024 * 1024;

class Generation {
  readonly idsByStack = new Map<string, number>();
  readonly stacksById = new Map<number, string>();
  chars = 0;

  set(stack: string, id: number): void {
    if (this.stacksById.has(id)) return;
    this.idsByStack.set(stack, id);
    this.stacksById.set(id, stack);
    this.chars += stack.length;
  }

  delete(id: number): void {
    const stack = this.stacksById.get(id);
    if (stack === undefined) return;
    this.idsByStack.delete(stack);
    this.stacksById.delete(id);
    this.chars -= stack.length;
  }
}

/**
 * Stack string <-> id, both directions, bounded by the characters it holds:
 * entries go into the current generation; when that is full it becomes the
 * previous one and the one before is dropped whole. An entry found in the
 * previous generation moves to the current one, so what is in use stays
 * (least recently used, approximately, at the cost of a Map per direction).
 */
export class StackCache {
  private current = new Generation();
  private previous = new Generation();

  constructor(private readonly maxChars = STACK_CACHE_CHARS) {}

  idOf(stack: string): number | undefined {
    const id = this.current.idsByStack.get(stack);
    if (id !== undefined) return id;
    const old = this.previous.idsByStack.get(stack);
    if (old !== undefined) this.set(stack, old);
    return old;
  }

  stackOf(id: number): string | undefined {
    const stack = this.current.stacksById.get(id);
    if (stack !== undefined) return stack;
    const old = this.previous.stacksById.get(id);
    if (old !== undefined) this.set(old, id);
    return old;
  }

  set(stack: string, id: number): void {
    if (this.current.chars + stack.length > this.maxChars / 2) {
      this.previous = this.current;
      this.current = new Generation();
    }
    this.current.set(stack, id);
  }

  /** Drops `id` (a collected one) from both generations. */
  forget(id: number): void {
    this.current.delete(id);
    this.previous.delete(id);
  }

  /** Characters held, both generations. */
  get chars(): number {
    return this.current.chars + this.previous.chars;
  }
}
