import type { StackStore, UnixSeconds } from '../store/stack-store.js';

/** The window GET /hosts counts samples over: the 3600 seconds ending with the current one. */
const HOUR = 3600;

interface Remembered {
  second: UnixSeconds;
  revision: number;
  samples: number;
}

/**
 * Whether an hour's total may be slid to a later second rather than read
 * again (see LastHourSamples.of).
 */
export type LastHourOptions =
  /** A read-only server: its revisions never see the collecting process's writes, so every new second reads the hour again. */
  | { ownWrites: false }
  /** The collecting server, whose revision() changes with every write and forget; the seconds leaving the hour are read back while retention keeps them. */
  | { ownWrites: true; retentionSeconds: number };

/**
 * Each host's samples in the last hour, as GET /hosts lists them, kept for
 * the clock second and store revision it was read at: pages polling the
 * index together then cost a read per host per second rather than some
 * hundred bucket totals per host per request (4 ms at 50 hosts, on the
 * thread that also collects). Holds one number per host last listed.
 *
 * A new second moves the hour's window for every host at once: read again
 * whole, that was 6-9 ms of the event loop at 50 hosts (in the first /hosts
 * of every second: the p99 of a page polling it). On a server that makes
 * every write, a host not written since is slid instead: the seconds that
 * entered the window are added and those that left it taken away, two short
 * reads of its finest buckets (0.3 ms for 50 hosts).
 */
export class LastHourSamples {
  private remembered = new Map<string, Remembered>();

  constructor(
    private readonly store: StackStore,
    private readonly options: LastHourOptions = { ownWrites: false },
  ) {}

  /** Per host of `hosts`, its samples in the 3600 seconds ending with `now`. */
  of(hosts: readonly string[], now: UnixSeconds): number[] {
    const kept = new Map<string, Remembered>();
    const samples = hosts.map((host) => {
      const revision = this.store.revision(host);
      let entry = this.remembered.get(host);
      if (entry === undefined || entry.revision !== revision) entry = { second: now, revision, samples: this.hourEndingAt(host, now) };
      else if (entry.second !== now) entry = { second: now, revision, samples: this.slid(host, entry, now) };
      kept.set(host, entry);
      return entry.samples;
    });
    this.remembered = kept;
    return samples;
  }

  private hourEndingAt(host: string, now: UnixSeconds): number {
    return this.store.totals([host], now - HOUR + 1, HOUR, 1)[0];
  }

  /**
   * `entry`'s hour moved to end at `now`. Exact when nothing in its hour
   * changed since it was read (its revision is the same, and this process
   * makes every write) and the seconds leaving the hour are still kept:
   * retention never took from them, so they hold what was counted. Otherwise
   * (and when the clock went back, or on past the whole hour) the hour is
   * read whole.
   */
  private slid(host: string, entry: Remembered, now: UnixSeconds): number {
    const moved = now - entry.second;
    const leftStillKept = this.options.ownWrites && moved <= this.options.retentionSeconds - HOUR + 1;
    if (moved <= 0 || moved >= HOUR || !leftStillKept) return this.hourEndingAt(host, now);
    const entered = this.store.totals([host], entry.second + 1, moved, 1)[0];
    const left = this.store.totals([host], entry.second - HOUR + 1, moved, 1)[0];
    return entry.samples + entered - left;
  }
}
