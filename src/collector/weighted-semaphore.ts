/** Why a wait for capacity ended without it: the caller's signal fired first. */
export class CapacityWaitAborted extends Error {
  constructor() {
    super('gave up waiting for capacity');
    this.name = 'CapacityWaitAborted';
  }
}

interface Waiter {
  weight: number;
  grant: () => void;
}

/**
 * A fixed capacity (pulls at once, bytes held at once) handed out in
 * weights, first come first served: a large request at the head is not
 * overtaken by smaller ones behind it, so nobody starves. Waiting is bounded
 * by the caller's signal; a waiter that gives up leaves the queue at once.
 */
export class WeightedSemaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`capacity must be positive, got ${capacity}`);
    this.available = capacity;
  }

  /** Takes `weight` units, waiting while they are not free; resolves with the function that gives them back (once). */
  acquire(weight: number, signal: AbortSignal): Promise<() => void> {
    if (!(weight >= 0) || weight > this.capacity) {
      return Promise.reject(new RangeError(`weight must be between 0 and ${this.capacity}, got ${weight}`));
    }
    if (this.waiters.length === 0 && weight <= this.available) {
      this.available -= weight;
      return Promise.resolve(this.releaser(weight));
    }
    if (signal.aborted) return Promise.reject(new CapacityWaitAborted());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        weight,
        grant: () => {
          signal.removeEventListener('abort', giveUp);
          resolve(this.releaser(weight));
        },
      };
      const giveUp = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new CapacityWaitAborted());
        // The head may have been what held back the ones behind it.
        this.grantWaiting();
      };
      signal.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Units in use right now. */
  get inUse(): number {
    return this.capacity - this.available;
  }

  private releaser(weight: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.available += weight;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiters.length > 0 && this.waiters[0].weight <= this.available) {
      const waiter = this.waiters.shift()!;
      this.available -= waiter.weight;
      waiter.grant();
    }
  }
}
