import { HttpError } from '../http-error.js';
import { periodStart } from '../store/levels.js';
import type { StackStore, UnixSeconds } from '../store/stack-store.js';
import { singleValue, type Query } from './query-params.js';

/** The spans a sparkline covers, in steps that match the store's own buckets (a minute, a quarter hour). */
const SPANS = {
  '1h': { step: 60, steps: 60 },
  '1d': { step: 900, steps: 96 },
} as const;

export type SparkSpan = keyof typeof SPANS;

/** Hosts given a sparkline per request: each costs `steps` small reads of bucket totals. */
export const MAX_SPARK_HOSTS = 500;

/** The sparklines of GET /hosts?spark=: window i of every line covers [from + i*step, from + (i+1)*step). */
export interface Sparklines {
  span: SparkSpan;
  from: UnixSeconds;
  step: number;
  steps: number;
  /** Samples per window of the first MAX_SPARK_HOSTS hosts, in the order of the listing. */
  samples: number[][];
  /** Hosts of the listing left without a line (beyond MAX_SPARK_HOSTS). */
  omitted: number;
}

/** `spark` of GET /hosts: absent for none, else one of the spans; anything else is a 400. */
export function parseSparkSpan(query: Query): SparkSpan | null {
  const text = singleValue(query, 'spark');
  if (text === undefined) return null;
  if (!Object.hasOwn(SPANS, text)) throw new HttpError(400, `spark: '${text.slice(0, 64)}' is not a span (use 1h or 1d)`);
  return text as SparkSpan;
}

/** Per host, the samples of each step of `span` up to `now`: the last window is the one holding now. */
export function sparklinesOf(store: StackStore, hosts: readonly string[], span: SparkSpan, now: UnixSeconds): Sparklines {
  const { step, steps } = SPANS[span];
  const from = periodStart(now, step) - (steps - 1) * step;
  const drawn = hosts.slice(0, MAX_SPARK_HOSTS);
  return {
    span,
    from,
    step,
    steps,
    samples: drawn.map((host) => store.totals([host], from, step, steps)),
    omitted: hosts.length - drawn.length,
  };
}
