// The analysis half of the graph page's URL: layout, table order, the
// sandwich's function, detail mode and the comparison. Kept beside
// view-state.js (range, threshold, search, zoom) and written after it, so a
// pasted link reproduces the whole view. Pure: no DOM, no history.

import { profileQuery } from './view-state.js';

export const LAYOUTS = ['graph', 'table', 'both'];
export const SORTS = ['self', 'total', 'name'];
/** Baselines the compare menu offers; `base_offset` is the /diff parameter each one sends. */
export const COMPARE_PRESETS = {
  previous: { label: 'the previous period of the same length' },
  '24h': { label: 'the same range 24 h earlier', baseOffset: '24h' },
  '7d': { label: 'the same range 7 d earlier', baseOffset: '7d' },
  host: { label: 'another host, same range' },
  range: { label: 'a range brushed on the timeline' },
};

const DEFAULTS = { layout: 'graph', sort: 'self' };

function oneOf(value, allowed, fallback) {
  return allowed.includes(value) ? value : fallback;
}

/**
 * @returns {{ layout: string, sort: string, fn: string, detail: boolean, compare: string, baseHost: string,
 *   baseFrom: string, baseUntil: string }}
 *   fn: the function whose sandwich is open ('' for none); detail: the zoom
 *   path is drawn from a `path=` query (the detail under a pruned frame);
 *   compare: a key of COMPARE_PRESETS, or '' for no comparison; baseFrom and
 *   baseUntil: the brushed baseline of compare=range, as the server reads times.
 */
export function readAnalysisState(queryString) {
  const params = new URLSearchParams(queryString);
  return {
    layout: oneOf(params.get('layout'), LAYOUTS, DEFAULTS.layout),
    sort: oneOf(params.get('sort'), SORTS, DEFAULTS.sort),
    fn: params.get('fn') || '',
    detail: params.get('detail') === '1',
    compare: oneOf(params.get('compare'), Object.keys(COMPARE_PRESETS), ''),
    baseHost: params.get('base_host') || '',
    baseFrom: params.get('base_from') || '',
    baseUntil: params.get('base_until') || '',
  };
}

/** Only what differs from the defaults, so plain links stay short. */
export function analysisStateQuery(analysis) {
  const params = new URLSearchParams();
  if (analysis.layout !== DEFAULTS.layout) params.set('layout', analysis.layout);
  if (analysis.sort !== DEFAULTS.sort) params.set('sort', analysis.sort);
  if (analysis.fn) params.set('fn', analysis.fn);
  if (analysis.detail) params.set('detail', '1');
  if (analysis.compare) params.set('compare', analysis.compare);
  if (analysis.compare === 'host' && analysis.baseHost) params.set('base_host', analysis.baseHost);
  if (analysis.compare === 'range' && analysis.baseFrom) {
    params.set('base_from', analysis.baseFrom);
    params.set('base_until', analysis.baseUntil);
  }
  return params.toString();
}

/** Whether the comparison named in the state can be asked for (another host needs a host, a brushed range its range). */
export function isComparing(analysis) {
  if (analysis.compare === 'host') return analysis.baseHost !== '';
  if (analysis.compare === 'range') return analysis.baseFrom !== '';
  return analysis.compare !== '';
}

/** Whether a load needs the functions table's answer too: it is shown, or a comparison lists what changed. */
export function wantsFunctions(analysis) {
  return analysis.layout !== 'graph' || isComparing(analysis);
}

/** The /diff query for the page's range and the chosen baseline. */
export function diffQuery(view, analysis) {
  const params = new URLSearchParams({ from: view.from, until: view.until });
  if (view.threshold) params.set('threshold', view.threshold);
  const { baseOffset } = COMPARE_PRESETS[analysis.compare];
  if (baseOffset) params.set('base_offset', baseOffset);
  if (analysis.compare === 'host') {
    params.set('base_host', analysis.baseHost);
    params.set('base_from', view.from);
    params.set('base_until', view.until);
  }
  if (analysis.compare === 'range') {
    params.set('base_from', analysis.baseFrom);
    params.set('base_until', analysis.baseUntil);
  }
  setDetailPath(params, view, analysis);
  return params.toString();
}

/** The detail under the zoomed frame, when the page draws one. */
function setDetailPath(params, view, analysis) {
  if (analysis.detail && view.zoom.length > 0) params.set('path', view.zoom.join(';'));
}

/** The /profile query of what the graph shows: the whole tree, or the detail under the zoomed frame. */
export function graphProfileQuery(view, analysis) {
  const params = new URLSearchParams(profileQuery(view));
  setDetailPath(params, view, analysis);
  params.set('format', 'compact'); // names once and flat numbers: fetchJson reads it back into the tree
  return params.toString();
}

/** One side of the sandwich of `name` over the page's range. */
export function sandwichQuery(view, name, side) {
  return new URLSearchParams({ from: view.from, until: view.until, focus: name, view: side }).toString();
}

/** A download of the graph's view (never pruned: no threshold) in `format`. */
export function downloadQuery(view, analysis, format) {
  const params = new URLSearchParams({ from: view.from, until: view.until, format });
  setDetailPath(params, view, analysis);
  return params.toString();
}

/**
 * Functions whose self share changed most between two /functions answers:
 * `limit` that grew (largest change first) and `limit` that shrank.
 */
export function changedFunctions(target, baseline, limit) {
  const share = (self, total) => (total > 0 ? self / total : 0);
  const rows = new Map();
  for (const fn of baseline.functions) {
    rows.set(fn.name, { name: fn.name, targetShare: 0, baselineShare: share(fn.self, baseline.total) });
  }
  for (const fn of target.functions) {
    const row = rows.get(fn.name) ?? { name: fn.name, targetShare: 0, baselineShare: 0 };
    row.targetShare = share(fn.self, target.total);
    rows.set(fn.name, row);
  }
  const all = [...rows.values()].map((row) => ({ ...row, change: row.targetShare - row.baselineShare }));
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    grew: all.filter((row) => row.change > 0).sort((a, b) => b.change - a.change || byName(a, b)).slice(0, limit),
    shrank: all.filter((row) => row.change < 0).sort((a, b) => a.change - b.change || byName(a, b)).slice(0, limit),
  };
}
