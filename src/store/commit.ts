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

/**
 * Commits write transactions and turns a failed commit into a StoreWriteError
 * naming its cause. Each kind of failure is logged once when it starts and
 * once when writes have resumed, however many writes fail meanwhile.
 */
export class Committer {
  private failing: { kind: string; lastMs: number; failures: number } | null = null;

  constructor(
    private readonly dbs: StoreDatabases,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /**
   * A child transaction, so work that throws is undone alone (a plain lmdb
   * transaction would commit what it wrote before throwing).
   */
  readonly commit: Commit = async (work) => {
    let result;
    try {
      result = await this.dbs.env.childTransaction(work);
    } catch (error) {
      throw await this.failed(error);
    }
    this.succeeded();
    return result;
  };

  private async failed(error: unknown): Promise<unknown> {
    // lmdb rejects every write of a failed batch with the same generic error; the cause is in its commitError promise.
    const commitError = (error as { commitError?: Promise<unknown> } | null)?.commitError;
    if (!(commitError instanceof Promise)) return error;
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
