// @ts-check
// The graph page's view state and its URL form, so a pasted link reproduces
// the view. Pure: no DOM, no history.

import { ianaZone, isoInZone, isZoneFree, readZone, withExplicitZone } from './time-zone.js';

export const DEFAULT_FROM = '-1h';
export const DEFAULT_UNTIL = 'now';
/** Frames never contain ';' (it joins them into stacks), so it can join a zoom path. */
const ZOOM_SEPARATOR = ';';

/**
 * 'icicle' draws the root at the top and callees below it, as Pyroscope,
 * Parca and speedscope do: the default, so the root is in view on first draw.
 * 'flame' is the classic bottom-up flame graph.
 * @typedef {'icicle' | 'flame'} Orientation
 */
export const DEFAULT_ORIENTATION = 'icicle';

/**
 * @typedef {object} ViewState
 * @property {string} from
 * @property {string} until
 * @property {string} threshold
 * @property {string} search
 * @property {string[]} zoom
 * @property {import('./time-zone.js').Zone} zone
 * @property {Orientation} orientation
 * @property {AutoRefresh} refresh
 */

/**
 * How often a relative range reloads itself; 'off' is the default and stays out of the URL.
 * @typedef {'off' | '10s' | '30s' | '1m'} AutoRefresh
 */
/** @type {Readonly<Record<AutoRefresh, number>>} */
export const AUTO_REFRESH_SECONDS = { off: 0, '10s': 10, '30s': 30, '1m': 60 };

/** @param {string | null} value @returns {AutoRefresh} */
function readAutoRefresh(value) {
  return value === '10s' || value === '30s' || value === '1m' ? value : 'off';
}

/**
 * Whether a from/until names a fixed moment (Unix seconds, or a date) rather
 * than one that moves with the clock (-1h, now, yesterday).
 * @param {string} time
 */
export function isAbsoluteTime(time) {
  return /^\d+$/.test(time) || /^\d{4}-\d{2}-\d{2}/.test(time);
}

/**
 * Auto-refresh reloads only a range whose end moves with the clock: an
 * absolute end would only fetch the same samples again.
 * @param {Pick<ViewState, 'until' | 'refresh'>} state
 * @returns {number} seconds between reloads, 0 for none
 */
export function autoRefreshSeconds(state) {
  return isAbsoluteTime(state.until) ? 0 : AUTO_REFRESH_SECONDS[state.refresh];
}

/**
 * The view with its range pinned to the times the server resolved it to, so a
 * shared link shows the same samples tomorrow; a pinned range does not refresh.
 * @param {ViewState} state
 * @param {{ from: number, until: number }} resolved  Unix seconds; from 0 is "all data"
 * @returns {ViewState}
 */
export function withAbsoluteRange(state, resolved) {
  return {
    ...state,
    from: resolved.from === 0 ? '0' : isoInZone(resolved.from, state.zone),
    until: isoInZone(resolved.until, state.zone),
    refresh: 'off',
  };
}

/** @param {string | null} value @returns {Orientation} */
function readOrientation(value) {
  return value === 'flame' ? 'flame' : DEFAULT_ORIENTATION;
}

/**
 * from/until/threshold stay the strings the user gave (`-15m`, `2 hours ago`):
 * the server resolves and validates them, and a relative range stays relative.
 */
/** @param {string} queryString @returns {ViewState} */
export function readViewState(queryString) {
  const params = new URLSearchParams(queryString);
  const zoom = params.get('zoom');
  return {
    from: params.get('from') || DEFAULT_FROM,
    until: params.get('until') || DEFAULT_UNTIL,
    threshold: params.get('threshold') || '',
    search: params.get('search') || '',
    zoom: zoom ? zoom.split(ZOOM_SEPARATOR) : [],
    zone: readZone(params.get('tz')),
    orientation: readOrientation(params.get('orient')),
    refresh: readAutoRefresh(params.get('refresh')),
  };
}

/**
 * The view a page opened at `queryString` shows: as read, with times typed
 * without a zone given the shown zone's offset, so a copied link keeps the range.
 * @param {string} queryString @returns {ViewState}
 */
export function openingViewState(queryString) {
  const state = readViewState(queryString);
  return { ...state, from: withExplicitZone(state.from, state.zone), until: withExplicitZone(state.until, state.zone) };
}

/** @param {ViewState} state */
export function viewStateQuery(state) {
  const params = new URLSearchParams({ from: state.from, until: state.until });
  if (state.threshold) params.set('threshold', state.threshold);
  if (state.search) params.set('search', state.search);
  if (state.zoom.length > 0) params.set('zoom', state.zoom.join(ZOOM_SEPARATOR));
  params.set('tz', state.zone);
  params.set('orient', state.orientation);
  if (state.refresh !== 'off') params.set('refresh', state.refresh);
  return params.toString();
}

/**
 * The query the profile route takes; the timeline takes the same minus threshold.
 * @param {Pick<ViewState, 'from' | 'until' | 'zone' | 'threshold'>} state
 */
export function profileQuery(state) {
  const params = new URLSearchParams(timelineQuery(state));
  if (state.threshold) params.set('threshold', state.threshold);
  return params.toString();
}

/**
 * The range, and the shown zone when a time in it names none (today,
 * 2026-11-28T10:00). A range the zone cannot change (-1h to now, or times
 * with offsets) goes without it: naming the browser's zone takes Intl, whose
 * first call sets up ICU for 40-220 ms, and the first requests wait for it.
 * @param {Pick<ViewState, 'from' | 'until' | 'zone'>} state
 */
export function timelineQuery(state) {
  const params = new URLSearchParams({ from: state.from, until: state.until });
  if (!isZoneFree(state.from) || !isZoneFree(state.until)) params.set('tz', ianaZone(state.zone));
  return params.toString();
}

/** The host of a `/graph/<encoded host>/` path; `_all` is every host merged. */
/** @param {string} pathname */
export function hostFromPath(pathname) {
  const match = /^\/graph\/([^/]+)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

export const ALL_HOSTS = '_all';

/** @param {string} host */
export function hostTitle(host) {
  return host === ALL_HOSTS ? 'all hosts' : host;
}
