import { dataInterval, INTERVAL_SAMPLE, timelineSteps } from '../profile/timeline-steps.js';
import type { StackStore } from '../store/stack-store.js';
import type { TimeRange } from './query-params.js';

/** GET /timeline's answer: samples per window; window i covers [from + i*step, from + (i+1)*step). */
export interface Timeline {
  from: number;
  until: number;
  step: number;
  /** Seconds between the collections drawn (the coarsest of the hosts with data in the range); 1 when unknown. */
  interval: number;
  samples: number[];
}

/** What "all data" shows of hosts that have none: the hour up to its end, an axis a person can read. */
const EMPTY_SPAN = 3600;

/**
 * The samples of `hosts` over `range` in windows no finer than their data:
 * with one collection a minute, one-minute windows at the finest, each
 * holding one collection, rather than a comb of full and empty seconds.
 */
export function timelineOf(store: StackStore, hosts: readonly string[], range: TimeRange): Timeline {
  // "All data" (from 0) is drawn from the first sample kept, not from 1970.
  const first = range.from === 0 ? store.firstTime(hosts) : range.from;
  const start = first === null || first > range.until ? Math.max(0, range.until - EMPTY_SPAN + 1) : first;
  const interval = intervalOf(store, hosts, start, range.until);
  const { from, until, step, steps } = timelineSteps(start, range.until, { dataInterval: interval });
  return { from, until, step, interval, samples: store.totals(hosts, from, step, steps) };
}

/** Points across the range where the hosts' interval is measured, so a change of pace inside it is seen. */
const ANCHORS = 8;
/** Gaps an anchor inside the range needs to count: one collection after an outage says little. */
const MIN_GAPS = 3;

/**
 * The coarsest collection interval among the hosts with samples in [from,
 * until], measured at `until` and at points across the range, each from the
 * collections between `from` and the point (and the one before `from`): a
 * host pushed every 10 minutes and pulled every 10 s for the last few is
 * drawn in 10-minute windows over the hour that holds both, and in 10 s
 * windows over the last few minutes.
 */
function intervalOf(store: StackStore, hosts: readonly string[], from: number, until: number): number {
  const anchors = [until];
  for (let k = 1; k < ANCHORS; k++) anchors.push(from + Math.floor(((until - from) * k) / ANCHORS));
  let coarsest = 1;
  for (const host of new Set(hosts)) {
    for (const anchor of new Set(anchors)) {
      const times = store.sampleTimes(host, anchor, INTERVAL_SAMPLE);
      const before = times.findIndex((time) => time < from);
      const measured = before === -1 ? times : times.slice(0, before + 1);
      if (measured.length < (anchor === until ? 2 : MIN_GAPS + 1)) continue;
      coarsest = Math.max(coarsest, dataInterval(measured) ?? 1);
    }
  }
  return coarsest;
}
