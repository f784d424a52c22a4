import type { StackCounts } from '../profile/stack-counts.js';

/** Times are whole Unix seconds throughout the store. */
export type UnixSeconds = number;

/**
 * A write the store could not commit (write, recordSuccess, recordError,
 * maintain reject with it); nothing of it is stored. `outOfSpace`: the file
 * system had no room for it, so the same write may succeed once space is
 * freed; the store needs no restart for that.
 */
export class StoreWriteError extends Error {
  constructor(
    message: string,
    /** Failures of one kind are logged once, however many writes fail. */
    readonly kind: string,
    readonly outOfSpace: boolean,
  ) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

/**
 * Samples per stack id, as readIds gives them. An id stands for one stack
 * for ever: ids are never reused, and a stack whose id was collected comes
 * back with a new one.
 */
export interface StackIdCounts {
  /** Distinct ids. */
  readonly size: number;
  forEach(visit: (id: number, count: number) => void): void;
  /** The `index`th id (0 ≤ index < size) in forEach's order, and its count: a walk with no closure, for a query's hot loop. */
  idAt(index: number): number;
  countAt(index: number): number;
}

/** What the collector last saw of a host, kept beside its samples. */
export interface HostStatus {
  /** When the last collection that stored data (even zero stacks) finished. */
  lastSuccess: UnixSeconds | null;
  /** When the last failed collection happened, and why. */
  lastError: { time: UnixSeconds; reason: string } | null;
}

/** What forgetting a host deleted. */
export interface ForgottenHost {
  /** Buckets deleted, of every level. */
  buckets: number;
  /** Samples the host had inside its finest buckets (each sample once). */
  samples: number;
  /** Write transactions it took: each deletes a bounded number of buckets. */
  transactions: number;
}

/**
 * Stack samples per host over time. Hides LMDB: callers see hosts, times and
 * counts, never buckets or resolutions; stack ids only through readIds, for
 * readers that remember what they learned of a stack by its id.
 *
 * Retention: reads, totals and firstTime see exactly the samples stamped at or
 * after the horizon, now - retention (or the latest cutoff maintenance applied,
 * if that is later), and nothing before it, whether maintenance has deleted it
 * yet or not. (Maintenance deletes each resolution's buckets once their period
 * ended before the cutoff, so a coarse bucket may still hold older samples for
 * a while; no read uses a bucket that starts before the horizon.) A write
 * stamped before the horizon is stored but never seen, and deleted by the
 * next maintenance.
 */
export interface StackStore {
  /**
   * Adds one collection's counts for `host`, stamped `time`, in one
   * transaction: after the promise resolves all of it is stored, and if it
   * rejects none of it is (a failed commit rejects with StoreWriteError).
   */
  write(host: string, time: UnixSeconds, stacks: StackCounts): Promise<void>;
  /**
   * Sum per stack of every sample of `hosts` with from <= time <= until
   * (both inclusive) kept by retention. Exact whatever the range.
   */
  read(hosts: readonly string[], from: UnixSeconds, until: UnixSeconds): StackCounts;
  /**
   * What read answers, by stack id, its strings left in the store: a reader
   * that already learned a stack by its id (see StackShapes) asks stackOfId
   * only for the ids it has not seen.
   */
  readIds(hosts: readonly string[], from: UnixSeconds, until: UnixSeconds): StackIdCounts;
  /**
   * The stack an id of the last readIds stands for, read from the store and
   * not cached: the caller keeps what it needs of it.
   */
  stackOfId(id: number): string;
  /**
   * Total samples of `hosts` kept by retention in each of `steps` consecutive
   * windows of `step` seconds starting at `from`: window i covers
   * [from + i*step, from + (i+1)*step).
   */
  totals(hosts: readonly string[], from: UnixSeconds, step: number, steps: number): number[];
  /** The time of the oldest sample kept by retention for any of `hosts`, or null when they have none. */
  firstTime(hosts: readonly string[]): UnixSeconds | null;
  /**
   * The seconds `host`'s most recent samples at or before `until` were
   * stamped with, newest first, at most `limit`: one per collection (two
   * collections in one second count once). How often a host's data arrives.
   */
  sampleTimes(host: string, until: UnixSeconds, limit: number): UnixSeconds[];
  /**
   * The first and last second in [from, until] at which any of `hosts` has
   * samples kept by retention, or null when none has: two seeks a host. With
   * revision(), it names the samples a read of the range sees, however the
   * range was written (`-5m` moves every second, its samples only with the
   * collections).
   */
  sampleSpan(hosts: readonly string[], from: UnixSeconds, until: UnixSeconds): { first: UnixSeconds; last: UnixSeconds } | null;
  /**
   * Reads from here on see every write committed so far, by any thread. A
   * reader otherwise keeps its snapshot until its current event turn ends,
   * which a worker answering queued jobs back to back may not reach between
   * two jobs.
   */
  readLatest(): void;
  /**
   * A number that changes once this store has committed anything that may
   * change what reads and totals of `host` answer: a write of it, forgetting
   * any host. Maintenance does not: rollups hold the same sums, and reads
   * never look before the retention horizon whether its buckets are deleted
   * yet or not. An answer worked out at one revision and clock second holds
   * while both stay the same. Writes of another process
   * sharing the folder do not change it.
   */
  revision(host: string): number;
  /**
   * A number that changes once this store has committed anything that may
   * change what hosts() answers: the first write or status of a host since
   * the store opened, forgetting a host. Writes of another process sharing
   * the folder do not change it.
   */
  hostsRevision(): number;
  /** Every host that has samples or a status stored, sorted. */
  hosts(): string[];
  status(host: string): HostStatus;
  recordSuccess(host: string, time: UnixSeconds): Promise<void>;
  /**
   * Deletes every bucket of `host` at every level, then its rollup state and
   * status, in bounded transactions: other hosts' samples and the stack
   * dictionary (shared by all hosts) stay. The host is gone from hosts() once
   * it resolves. A write that commits before the last of its transactions is
   * deleted with the rest; one after it starts the host afresh.
   */
  forget(host: string): Promise<ForgottenHost>;
  recordError(host: string, time: UnixSeconds, reason: string): Promise<void>;
  /**
   * Proves the store can still be read and written: reads and rewrites one
   * small health record in its own write transaction. Rejects with the reason
   * (closed, disk full, …); touches no samples.
   */
  checkHealth(): Promise<void>;
  /**
   * Rolls finished periods up into coarser buckets and deletes buckets past
   * retention, in small transactions. The store runs it on its own timer;
   * it is exposed so tests and benchmarks can bring the store up to date.
   */
  maintain(): Promise<void>;
  /** Stops the maintenance timer, waits for pending writes, closes the database. */
  close(): Promise<void>;
}
