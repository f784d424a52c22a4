/**
 * Characters of stack strings the cache holds by default: about 64 MB of
 * one-byte strings, which keeps the stacks of a busy fleet's recent
 * collections and answers, yet stays small next to a dictionary of millions.
 * `[store] stack_cache` sets it.
 */
export const STACK_CACHE_CHARS = 64 * 1024 * 1024;

/**
 * Stack string <-> id, both directions, bounded by the characters it holds,
 * with CLOCK replacement: entries sit in slots on a ring; a lookup that finds
 * one only sets its referenced bit, and room is made by a hand going round the
 * ring that clears set bits and evicts the first entry whose bit is clear. So
 * a hit costs a Map lookup and a byte write (no entry is copied), what is used
 * between two passes of the hand stays, and a run of stacks seen once (a big
 * new body, a cycle through more stacks than fit) enters unreferenced and is
 * the first to go, instead of flushing what is in use. The slots are reused,
 * so memory is the strings held plus a few words an entry.
 */
export class StackCache {
  private readonly slotsByStack = new Map<string, number>();
  private readonly slotsById = new Map<number, number>();
  private readonly stacks: Array<string | undefined> = [];
  private readonly ids: number[] = [];
  private referenced = new Uint8Array(1024);
  private readonly freeSlots: number[] = [];
  private hand = 0;
  private heldChars = 0;

  constructor(private readonly maxChars = STACK_CACHE_CHARS) {
    if (!(maxChars > 0)) throw new RangeError(`the stack cache needs a positive size, got ${maxChars}`);
  }

  idOf(stack: string): number | undefined {
    const slot = this.slotsByStack.get(stack);
    if (slot === undefined) return undefined;
    this.referenced[slot] = 1;
    return this.ids[slot];
  }

  stackOf(id: number): string | undefined {
    const slot = this.slotsById.get(id);
    if (slot === undefined) return undefined;
    this.referenced[slot] = 1;
    return this.stacks[slot];
  }

  /** Caches `stack` <-> `id`, evicting what the hand finds unreferenced until it fits; a stack longer than the whole cache is not kept. */
  set(stack: string, id: number): void {
    const present = this.slotsById.get(id);
    if (present !== undefined && this.stacks[present] === stack) return;
    if (present !== undefined) this.evict(present);
    const other = this.slotsByStack.get(stack);
    if (other !== undefined) this.evict(other);
    if (stack.length > this.maxChars) return;
    while (this.heldChars + stack.length > this.maxChars) this.evictNextUnreferenced();
    const slot = this.freeSlots.pop() ?? this.newSlot();
    this.stacks[slot] = stack;
    this.ids[slot] = id;
    this.referenced[slot] = 0;
    this.slotsByStack.set(stack, slot);
    this.slotsById.set(id, slot);
    this.heldChars += stack.length;
  }

  /**
   * Evicts every entry of slots [start, end) not looked up since the previous
   * call (one set since and not yet looked up too), and clears the bits of
   * the others for the next. Called every few minutes over all the slots, a
   * piece at a time if need be, it makes the cache hold the stacks in use
   * rather than the last `maxChars` of every stack seen: a vocabulary that
   * churns (new stacks seen once) would otherwise keep it full for ever.
   */
  evictUnused(start = 0, end = this.stacks.length): void {
    for (let slot = start; slot < Math.min(end, this.stacks.length); slot++) {
      if (this.stacks[slot] === undefined) continue;
      if (this.referenced[slot] === 1) this.referenced[slot] = 0;
      else this.evict(slot);
    }
  }

  /** Drops `id` (a collected one). */
  forget(id: number): void {
    const slot = this.slotsById.get(id);
    if (slot !== undefined) this.evict(slot);
  }

  /** Characters held. */
  get chars(): number {
    return this.heldChars;
  }

  /** Slots on the ring, held or free (see evictUnused). */
  get slots(): number {
    return this.stacks.length;
  }

  /** Entries held. */
  get size(): number {
    return this.slotsById.size;
  }

  private newSlot(): number {
    const slot = this.stacks.length;
    if (slot === this.referenced.length) {
      const grown = new Uint8Array(slot * 2);
      grown.set(this.referenced);
      this.referenced = grown;
    }
    this.stacks.push(undefined);
    this.ids.push(0);
    return slot;
  }

  /** Advances the hand to the first unreferenced entry, clearing the bits it passes, and evicts it. Only called with entries held. */
  private evictNextUnreferenced(): void {
    for (;;) {
      if (this.hand >= this.stacks.length) this.hand = 0;
      const slot = this.hand++;
      if (this.stacks[slot] === undefined) continue;
      if (this.referenced[slot] === 1) {
        this.referenced[slot] = 0;
        continue;
      }
      this.evict(slot);
      return;
    }
  }

  private evict(slot: number): void {
    const stack = this.stacks[slot];
    if (stack === undefined) return;
    this.slotsByStack.delete(stack);
    this.slotsById.delete(this.ids[slot]);
    this.stacks[slot] = undefined;
    this.referenced[slot] = 0;
    this.heldChars -= stack.length;
    this.freeSlots.push(slot);
  }
}
