/**
 * Hands out turns of the event loop one at a time, in order: each holder of
 * a turn runs before the loop next polls for I/O, and the next holder only
 * after it did. A collection round's hosts answer within milliseconds of one
 * another; parsing and storing all their bodies back to back held the loop
 * for the whole round (a /hosts arriving meanwhile waited 100+ ms even with
 * no reader). One body a turn, requests are read between bodies.
 */
export class TurnQueue {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves when it is the caller's turn; work until the caller's next await is inside it. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) this.schedule();
    });
  }

  private schedule(): void {
    this.scheduled = true;
    // An immediate set while immediates run waits for the next loop iteration, after its poll for I/O.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
