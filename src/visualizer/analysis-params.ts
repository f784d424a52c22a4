import { parseDuration } from '../config/units.js';
import { HttpError } from '../http-error.js';
import type { SandwichView } from '../profile/stack-counts-to-sandwich.js';
import type { FunctionOrder } from '../profile/stack-trie-to-functions.js';
import { parseTimeRange, singleValue, type Query, type TimeRange } from './query-params.js';

/** The parameters of the analysis routes; every error is a 400 that names the parameter first. */

const FUNCTION_ORDERS: readonly FunctionOrder[] = ['self', 'total', 'name'];
const VIEWS: readonly SandwichView[] = ['callees', 'callers'];
export const EXPORT_FORMATS = ['folded', 'speedscope', 'pprof'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Longest focus name or path accepted: a stack's own limit in the collector. */
const MAX_FRAMES_TEXT = 64 * 1024;

export function parseFunctionOrder(query: Query): FunctionOrder {
  return oneOf(query, 'sort', FUNCTION_ORDERS) ?? 'self';
}

/** How many functions to list; default all of them. */
export function parseLimit(query: Query): number {
  const text = singleValue(query, 'limit');
  if (text === undefined) return Number.POSITIVE_INFINITY;
  const limit = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1)) throw new HttpError(400, `limit: '${text.slice(0, 64)}' is not a whole number of at least 1`);
  return limit;
}

/** `focus=NAME[&view=callees|callers]`: one side of a sandwich; null when absent. */
export function parseFocus(query: Query): { name: string; view: SandwichView } | null {
  const name = singleValue(query, 'focus');
  const view = oneOf(query, 'view', VIEWS);
  if (name === undefined) {
    if (view !== undefined) throw new HttpError(400, 'view: needs focus=NAME, the function to centre on');
    return null;
  }
  if (name.length > MAX_FRAMES_TEXT) throw new HttpError(400, `focus: longer than ${MAX_FRAMES_TEXT} characters`);
  return { name, view: view ?? 'callees' };
}

/** `path=F1;F2;…`: the frames from the root to the node to detail; null when absent. */
export function parsePath(query: Query): string[] | null {
  const text = singleValue(query, 'path');
  if (text === undefined) return null;
  if (text.length > MAX_FRAMES_TEXT) throw new HttpError(400, `path: longer than ${MAX_FRAMES_TEXT} characters`);
  return text.split(';');
}

/** The answer for a `path=` that names no node in the range: there is nothing to draw the detail of. */
export function unknownPath(path: readonly string[]): HttpError {
  return new HttpError(404, `path: no frames ${path.join(';').slice(0, 200)} from the root in this range`);
}

/** The two JSON forms of a /profile tree: `{"name","value","children"}` nested (the default), or compact (see flame-selection-compact-json.ts). */
export type TreeFormat = 'json' | 'compact';

/** `format=`: a JSON form of the tree (default `json`) or a download. */
export function parseProfileFormat(query: Query): TreeFormat | ExportFormat {
  return oneOf(query, 'format', ['json', 'compact', ...EXPORT_FORMATS] as const) ?? 'json';
}

export function isExportFormat(format: TreeFormat | ExportFormat): format is ExportFormat {
  return format !== 'json' && format !== 'compact';
}

/** Whether the request asks for pruning: exports are whole unless it does. */
export function asksForPruning(query: Query): boolean {
  return singleValue(query, 'threshold') !== undefined || singleValue(query, 'max_nodes') !== undefined;
}

/**
 * The baseline range: `base_from`/`base_until` as time expressions, or the
 * target moved back by `base_offset` (a duration: `24h`, `7d`, seconds), or,
 * when none is given, the period of the same length just before the target.
 */
export function parseBaselineRange(query: Query, nowSeconds: number, target: TimeRange): TimeRange {
  const baseFrom = query.base_from;
  const baseUntil = query.base_until;
  const offsetText = singleValue(query, 'base_offset');
  if (offsetText !== undefined) {
    const offset = parseDuration(offsetText);
    if (offset === null || !Number.isInteger(offset)) {
      throw new HttpError(400, `base_offset: '${offsetText.slice(0, 64)}' is not a whole duration such as 24h, 7d or 3600`);
    }
    if (singleValue(query, 'base_from') !== undefined || singleValue(query, 'base_until') !== undefined) {
      throw new HttpError(400, 'base_offset: give either base_offset or base_from/base_until, not both');
    }
    return { from: Math.max(0, target.from - offset), until: Math.max(0, target.until - offset) };
  }
  if ((baseFrom === undefined || baseFrom === '') && (baseUntil === undefined || baseUntil === '')) {
    if (target.from === 0) {
      throw new HttpError(400, 'base_from: give the baseline range (base_from, base_until) when the target is all data');
    }
    const length = target.until - target.from + 1;
    return { from: Math.max(0, target.from - length), until: target.from - 1 };
  }
  if (baseFrom === undefined || baseFrom === '') throw new HttpError(400, 'base_from: missing (give base_from and base_until)');
  // The same grammar and checks as from/until, with the names the caller used in every message.
  try {
    return parseTimeRange({ ...query, from: baseFrom, until: baseUntil }, nowSeconds);
  } catch (error) {
    if (error instanceof HttpError) throw new HttpError(error.status, error.message.replace(/^(from|until):/, 'base_$1:'));
    throw error;
  }
}

function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const text = singleValue(query, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new HttpError(400, `${name}: '${text.slice(0, 64)}' is not one of ${allowed.join(', ')}`);
  }
  return text as T;
}
