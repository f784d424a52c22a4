import type { StackStore, UnixSeconds } from '../store/stack-store.js';

/** GET /last-data's answer: when the newest data of a host (or selector) arrived, for a page with none in its range. */
export interface LastData {
  now: UnixSeconds;
  /** The second its newest sample kept by retention is stamped with, at or before now; null when it has none. */
  lastSample: UnixSeconds | null;
  /** When a collection of it last succeeded (even with zero stacks); null when none did. */
  lastSuccess: UnixSeconds | null;
}

export function lastDataOf(store: StackStore, hosts: readonly string[], now: UnixSeconds): LastData {
  const latest = (times: Array<number | null | undefined>): number | null =>
    times.reduce<number | null>((newest, time) => (time != null && (newest === null || time > newest) ? time : newest), null);
  // firstTime is null for a host whose samples are all past retention, which sampleTimes alone would still see.
  const kept = hosts.filter((host) => store.firstTime([host]) !== null);
  return {
    now,
    lastSample: latest(kept.map((host) => store.sampleTimes(host, now, 1)[0])),
    lastSuccess: latest(hosts.map((host) => store.status(host).lastSuccess)),
  };
}
