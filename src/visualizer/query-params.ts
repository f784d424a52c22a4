import { HttpError } from '../http-error.js';
import { DEFAULT_MAX_NODES, MIN_MAX_NODES } from '../profile/prune-flame-tree.js';
import { parseTimeExpression, TimeExpressionError, type RangeEnd } from '../profile/time-expression.js';
import { isTimeZone, UTC } from '../profile/time-zone.js';

/** Express's parsed query string: a value may be a string, a repeated list or an object. */
export type Query = Record<string, unknown>;

/** Whole Unix seconds, both ends inclusive. */
export interface TimeRange {
  from: number;
  until: number;
}

/**
 * `from` and `until` as time expressions; a missing one means all stored data
 * (from 0, until now). `tz` (an IANA zone, default UTC) is where ISO times
 * without an offset and `today`/`yesterday` are read, so the answer never
 * depends on the server's own zone. Every error is a 400 that names the
 * parameter first.
 */
export function parseTimeRange(query: Query, nowSeconds: number): TimeRange {
  const zone = parseTimeZone(query);
  const from = parseTime(query, 'from', nowSeconds, zone) ?? 0;
  const until = parseTime(query, 'until', nowSeconds, zone) ?? nowSeconds;
  if (from > until) {
    throw new HttpError(400, `from: ${from} is after until ${until} (from must not be later than until)`);
  }
  return { from, until };
}

/** The fraction of the total below which nodes are pruned; default 0 (none). */
export function parseThreshold(query: Query): number {
  const text = singleValue(query, 'threshold');
  if (text === undefined) return 0;
  const threshold = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new HttpError(400, `threshold: '${text}' is not a fraction between 0 and 1 (e.g. 0.01 for 1%)`);
  }
  return threshold;
}

export function parseMaxNodes(query: Query): number {
  const text = singleValue(query, 'max_nodes');
  if (text === undefined) return DEFAULT_MAX_NODES;
  const maxNodes = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isSafeInteger(maxNodes) && maxNodes >= MIN_MAX_NODES)) {
    throw new HttpError(400, `max_nodes: '${text}' is not a whole number of at least ${MIN_MAX_NODES}`);
  }
  return maxNodes;
}

function parseTimeZone(query: Query): string {
  const zone = singleValue(query, 'tz');
  if (zone === undefined) return UTC;
  if (!isTimeZone(zone)) {
    throw new HttpError(400, `tz: '${zone.slice(0, 64)}' is not a time zone (use an IANA name such as Europe/Berlin, or UTC)`);
  }
  return zone;
}

/** `end` is also the parameter's name. */
function parseTime(query: Query, end: RangeEnd, nowSeconds: number, zone: string): number | undefined {
  const text = singleValue(query, end);
  if (text === undefined) return undefined;
  try {
    return parseTimeExpression(text, nowSeconds, { end, zone });
  } catch (error) {
    if (error instanceof TimeExpressionError) throw new HttpError(400, `${end}: ${error.message}`);
    throw error;
  }
}

/** An empty value counts as absent, so a form can leave a field blank. */
export function singleValue(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `${name}: give it once, as a single value`);
  return value;
}
