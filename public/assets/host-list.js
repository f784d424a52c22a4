// The index's list state (sort, filter, sparkline span) and its URL form, and
// the rows it shows: series merged per row, filtered and sorted. Pure: no DOM.

/**
 * @typedef {import('./series-rows.js').HostListing} HostListing
 * @typedef {import('./series-rows.js').AppGroup} AppGroup
 * @typedef {'config' | 'name' | 'last' | 'samples'} SortKey
 * @typedef {{ sort: SortKey, order: 'asc' | 'desc', filter: string, spark: '1h' | '1d' }} ListState
 * @typedef {{ configured: boolean, lastSuccess: number | null, lastError: { time: number, reason: string } | null,
 *   samplesLastHour: number }} MergedStatus
 */

const SORT_KEYS = ['name', 'last', 'samples'];
const SPANS = ['1h', '1d'];

/** A name reads A to Z; times and counts read biggest first, as people scan for the busy and the recent. */
export function defaultOrder(sort) {
  return sort === 'name' || sort === 'config' ? 'asc' : 'desc';
}

/**
 * Unknown values fall back to the defaults: a hand-edited URL still opens the page.
 * @returns {ListState}
 */
export function readListState(queryString) {
  const params = new URLSearchParams(queryString);
  const sort = SORT_KEYS.includes(params.get('sort') ?? '') ? /** @type {SortKey} */ (params.get('sort')) : 'config';
  const order = params.get('order') === 'asc' || params.get('order') === 'desc' ? params.get('order') : defaultOrder(sort);
  const spark = SPANS.includes(params.get('spark') ?? '') ? params.get('spark') : '1h';
  return { sort, order: /** @type {'asc' | 'desc'} */ (order), filter: params.get('filter') ?? '', spark: /** @type {'1h' | '1d'} */ (spark) };
}

/** The state as a query string, defaults left out, so the plain index stays `/`. */
export function listStateQuery(state) {
  const params = new URLSearchParams();
  if (state.sort !== 'config') params.set('sort', state.sort);
  if (state.order !== defaultOrder(state.sort)) params.set('order', state.order);
  if (state.filter !== '') params.set('filter', state.filter);
  if (state.spark !== '1h') params.set('spark', state.spark);
  return params.toString();
}

/** A click on a column's header sorts by it; a second click turns the order round. */
export function sortedBy(state, sort) {
  return { ...state, sort, order: state.sort === sort ? (state.order === 'asc' ? 'desc' : 'asc') : defaultOrder(sort) };
}

/**
 * One row's status from the series it merges: the latest success and error, the summed samples.
 * @param {HostListing[]} hosts
 * @returns {MergedStatus}
 */
export function mergedStatus(hosts) {
  const latest = (times) => times.reduce((a, b) => (a === null || (b !== null && b > a) ? b : a), null);
  const lastError = hosts.map((host) => host.lastError).reduce((a, b) => (a === null || (b !== null && b.time > a.time) ? b : a), null);
  return {
    configured: hosts.some((host) => host.configured),
    lastSuccess: latest(hosts.map((host) => host.lastSuccess)),
    lastError,
    samplesLastHour: hosts.reduce((sum, host) => sum + host.samplesLastHour, 0),
  };
}

/** Literal and case-insensitive: what is typed is looked for as is, never as a pattern. */
export function matchesFilter(texts, filter) {
  const wanted = filter.trim().toLowerCase();
  return wanted === '' || texts.some((text) => text.toLowerCase().includes(wanted));
}

/**
 * The groups the table shows: an app whose name matches keeps all its rows,
 * else only its rows whose title, agent labels or series names match; groups
 * and the rows inside them in the state's order (ties by name, web2 before web10), `config` as listed.
 * @param {AppGroup[]} groups
 * @param {ListState} state
 * @returns {AppGroup[]}
 */
export function arrangeGroups(groups, state) {
  const shown = groups
    .map((group) => ({
      ...group,
      rows: matchesFilter([group.app], state.filter)
        ? group.rows
        : group.rows.filter((series) => matchesFilter([series.title, series.internal, ...series.hosts.map((host) => host.name)], state.filter)),
    }))
    .filter((group) => group.rows.length > 0);
  if (state.sort === 'config') return shown;
  const sign = state.order === 'asc' ? 1 : -1;
  /** @type {(a: { name: string, key: number | string | null }, b: { name: string, key: number | string | null }) => number} */
  const compare = (a, b) => sign * compareKeys(a.key, b.key) || compareKeys(a.name, b.name);
  const keyOf = (hosts) => sortKey(state.sort, mergedStatus(hosts));
  return shown
    .map((group) => ({
      ...group,
      rows: group.rows
        .map((series) => ({ series, name: series.title, key: state.sort === 'name' ? series.title : keyOf(series.hosts) }))
        .sort(compare)
        .map(({ series }) => series),
    }))
    .map((group) => ({ group, name: group.app, key: state.sort === 'name' ? group.app : keyOf(group.rows.flatMap((series) => series.hosts)) }))
    .sort(compare)
    .map(({ group }) => group);
}

function sortKey(sort, status) {
  return sort === 'last' ? status.lastSuccess : status.samplesLastHour;
}

/** Names as people read them: web2 before web10, case aside. */
const nameOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Never collected sorts below every time; names that read alike still get a fixed order. */
function compareKeys(a, b) {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return nameOrder.compare(a, b) || (a < b ? -1 : 1);
  return a < b ? -1 : 1;
}

/**
 * The element-wise sum of lines of equal length (a row's series, an app's
 * rows); null when any is missing (the server draws a bounded number of
 * hosts), as a partial sum would understate the row.
 * @param {Array<number[] | undefined>} lines
 */
export function sumLines(lines) {
  if (lines.length === 0 || lines.some((line) => line === undefined)) return null;
  return lines[0].map((_, i) => lines.reduce((sum, line) => sum + line[i], 0));
}

/** Where a name may wrap: after the separators of host names and labels, never inside a word or number. */
export function nameParts(name) {
  return name.match(/[^.,:/{}=\-\s]*(?:[.,:/{}=\-\s]+|$)/g)?.filter((part) => part !== '') ?? [name];
}
