import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { StoreDatabases } from './layout.js';
import { StoreWriteError } from './stack-store.js';

/** Runs `work` in one write transaction and resolves once it committed. */
export type Commit = <T>(work: () => T) => Promise<T>;

/** LMDB's error code for a map that cannot grow (lmdb grows it by itself, so this is rare). */
const MDB_MAP_FULL = -30792;

/**
 * errno values, as LMDB reports them, that mean "no room". On a full file
 * system LMDB reports EIO when its write of the new pages came up short (seen
 * on tmpfs), and ENOSPC when nothing could be written at all.
 */
const OUT_OF_SPACE_CODES = new Map<number, string>([
  [28, 'ENOSPC'],
  [122, 'EDQUOT'],
  [5, 'EIO'],
  [MDB_MAP_FULL, 'MDB_MAP_FULL'],
]);

/** A failure kind is logged again only after writes have succeeded this long after its last occurrence. */
const RECOVERED_AFTER_MS = 60_000;

/** Works queued for one child transaction, until lmdb runs it. */
interface Group {
  works: Array<() => unknown>;
  results: Promise<unknown[]>;
}

/**
 * Commits write transactions and turns a failed commit into a StoreWriteError
 * naming its cause. Each kind of failure is logged once when it starts and
 * once when writes have resumed, however many writes fail meanwhile.
 */
export class Committer {
  private failing: { kind: string; lastMs: number; failures: number } | null = null;
  private open: Group | null = null;
  /**
   * Write transactions (lmdb child transactions) started for works so far:
   * what a work reads may be remembered by the next works as long as this
   * number stays the same and none of them changed it (see
   * LmdbStackStore.fleetRolledUntil).
   */
  transactions = 0;
  /** One promise per write batch given to lmdb, until its writer thread is done with it (see whenWritersDone). */
  private readonly writers = new Set<Promise<void>>();

  constructor(
    private readonly dbs: StoreDatabases,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /**
   * Works committed before lmdb starts the next write transaction run
   * together, in order, in one child transaction: a child transaction per
   * work cost a tenth of a collection's write (lmdb copies every page a
   * child touches, and merges its pages into the parent's on commit). When
   * one of them throws, the child is undone and each work runs again alone,
   * in a child of its own, so only the one that throws is undone (a plain
   * lmdb transaction would commit what it wrote before throwing). Works
   * must therefore give the same writes when run again.
   */
  readonly commit: Commit = <T>(work: () => T): Promise<T> => {
    let group;
    try {
      group = this.open ?? this.startGroup();
    } catch (error) {
      // As an async function did: a failure to start lmdb's transaction rejects, it never throws at the caller.
      return Promise.reject(error);
    }
    const index = group.works.push(work) - 1;
    // Plain reactions rather than an async function: a promise and a closure fewer per work, a few percent of a small collection's write.
    return group.results.then(
      (results) => {
        this.succeeded();
        return results[index] as T;
      },
      (error: unknown) => this.afterGroupFailed(error, work),
    );
  };

  /** A failed group's `work`: failed with the commit's cause, or run again alone when one of the group's works threw. */
  private afterGroupFailed<T>(error: unknown, work: () => T): Promise<T> {
    const alone = hasCommitError(error) ? Promise.reject(error) : this.trackWriter(this.dbs.env.childTransaction(() => this.runAlone(work)));
    return alone.then(
      (result) => {
        this.succeeded();
        return result;
      },
      async (failure: unknown) => {
        throw await this.failed(failure);
      },
    );
  }

  /** A group that later commits join until lmdb runs it (commit is never called inside a work). */
  private startGroup(): Group {
    const group: Group = { works: [], results: Promise.resolve([]) };
    group.results = this.trackWriter(this.dbs.env.childTransaction(() => {
      this.transactions++;
      if (this.open === group) this.open = null;
      return group.works.map((work) => work());
    }));
    this.open = group;
    return group;
  }

  /**
   * Resolves once lmdb's writer threads are done with every batch given so
   * far: what the environment's close must wait for. A batch's promises
   * resolve when its transaction commits, but its writer thread goes on to
   * read the environment's listener table after that (lmdb-js 3.5.6,
   * writer.cpp), and a close meanwhile frees the table under it: a crash
   * in the store tests about one run in forty, and every time with that
   * thread held back there (test/store/close-after-writers.integration.test.ts).
   * lmdb's own close waits for the last batch only, while an earlier
   * batch's thread can still be running.
   */
  whenWritersDone(): Promise<void> {
    return Promise.all(this.writers).then(() => undefined);
  }

  /** `transaction`, with its batch's writer thread tracked until done (whenWritersDone). */
  private trackWriter<T>(transaction: Promise<T>): Promise<T> {
    const done = new Promise<void>((resolve) => {
      // `flushed` takes the batch's own promise when `then` is called, so now, right after queuing the
      // transaction; lmdb resolves it once the batch's writer thread has returned.
      this.dbs.env.flushed.then(() => resolve(), () => resolve());
      // A batch whose commit failed never resolves it, and its thread stops before reading the listeners.
      transaction.catch((error: unknown) => {
        if (hasCommitError(error)) resolve();
      });
    });
    this.writers.add(done);
    void done.then(() => this.writers.delete(done));
    return transaction;
  }

  /** Runs `work` again in a transaction of its own, after its group failed. */
  private runAlone<T>(work: () => T): T {
    this.transactions++;
    return work();
  }

  private async failed(error: unknown): Promise<unknown> {
    if (!hasCommitError(error)) return error;
    const commitError = error.commitError;
    const cause = await commitError.then(
      () => error,
      (reason: unknown) => reason,
    );
    const code = (cause as { code?: unknown }).code;
    const name = typeof code === 'number' ? OUT_OF_SPACE_CODES.get(code) : undefined;
    const detail = (cause as Error).message ?? String(cause);
    const failure =
      name === undefined
        ? new StoreWriteError(`the commit failed: ${detail}`, `code ${String(code)}`, false)
        : new StoreWriteError(`no space left for the store (${name}: ${detail}${name === 'EIO' ? ', a short write, or a failing disk' : ''})`, 'out of space', true);
    const now = this.clock();
    if (this.failing?.kind !== failure.kind) {
      this.logger.error({ kind: failure.kind, reason: failure.message }, 'store writes failing');
      this.failing = { kind: failure.kind, lastMs: now, failures: 1 };
    } else {
      this.failing.lastMs = now;
      this.failing.failures++;
    }
    return failure;
  }

  private succeeded(): void {
    if (this.failing === null || this.clock() - this.failing.lastMs < RECOVERED_AFTER_MS) return;
    this.logger.info({ kind: this.failing.kind, failures: this.failing.failures }, 'store writes resumed');
    this.failing = null;
  }
}

/** lmdb rejects every write of a failed batch with the same generic error; the cause is in its commitError promise. */
function hasCommitError(error: unknown): error is { commitError: Promise<unknown> } {
  return (error as { commitError?: unknown } | null)?.commitError instanceof Promise;
}
