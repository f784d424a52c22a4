// The flame-graph page: reads the view from the URL, loads the profile and the
// timeline for it, and keeps the URL in step with every change.

import { fetchJson, isAbort } from './api.js';
import { createAnalysisPanels } from './analysis-panels.js';
import { analysisStateQuery, readAnalysisState } from './analysis-state.js';
import { createFlameChart } from './flame-chart.js';
import { attachSelectorField } from './selector-field.js';
import { createTimeline } from './timeline.js';
import { formatCount, formatPercent } from './format.js';
import { hideLastData, showLastData } from './last-data.js';
import { readThresholdPercent, thresholdPercent } from './threshold.js';
import { loadUrls } from './load-urls.js';
import { formatInZone, ianaZone, inZone, isoInZone, withExplicitZone, zoneLabel } from './time-zone.js';
import {
  autoRefreshSeconds, DEFAULT_FROM, DEFAULT_UNTIL, hostFromPath, hostTitle, isAbsoluteTime, openingViewState, readViewState,
  viewStateQuery, withAbsoluteRange,
} from './view-state.js';

const RESIZE_DEBOUNCE_MS = 150;
const SEARCH_DEBOUNCE_MS = 150;

const byId = (id) => document.getElementById(id);
const host = hostFromPath(location.pathname);
let state = openingViewState(location.search);
/** Layout, table order, sandwich, detail and comparison: analysis-state.js. */
let analysis = readAnalysisState(location.search);
/** The load in progress; a newer load aborts it, so a slow old answer never overwrites a new one. */
let inFlight = null;
/** The range as the server resolved it for the last load, in Unix seconds: what "copy link" pins. */
let resolvedRange = null;
/** The next auto-refresh, if one is due. */
let refreshTimer;

const chart = createFlameChart(byId('chart'), { onZoom: showZoom, inverted: state.orientation === 'icicle' });
const panels = createAnalysisPanels(host, chart, { onChange: changeAnalysis });
const timeline = createTimeline(byId('timeline'), byId('timeline-readout'), {
  // While comparing with a brushed range, the brush picks the baseline; otherwise it narrows the view.
  // Absolute times go into the URL and the inputs as ISO 8601 in the shown zone, with its offset.
  onBrush: (from, until) => {
    const range = { from: isoInZone(from, state.zone), until: isoInZone(until, state.zone) };
    if (analysis.compare === 'range') changeAnalysis({ baseFrom: range.from, baseUntil: range.until }, { reload: true });
    else changeView(range);
  },
  zone: () => state.zone,
});

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** This page's address for a view state, with the analysis state as it is. */
function pageUrl(viewState) {
  const analysisQuery = analysisStateQuery(analysis);
  return `${location.pathname}?${viewStateQuery(viewState)}${analysisQuery ? `&${analysisQuery}` : ''}`;
}

function saveState(mode) {
  const url = pageUrl(state);
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function setView(view, message = '') {
  document.body.dataset.view = view;
  byId('message').textContent = message;
  if (view !== 'empty') hideLastData(byId('last-data'));
}

function syncControls() {
  byId('from-input').value = state.from;
  byId('until-input').value = state.until;
  byId('threshold-input').value = thresholdPercent(state.threshold);
  showThresholdError('');
  byId('zone-select').value = state.zone;
  byId('search-input').value = state.search;
  for (const button of document.querySelectorAll('.orientation-switch button')) {
    button.setAttribute('aria-pressed', String(button.dataset.orientation === state.orientation));
  }
  chart.setInverted(state.orientation === 'icicle');
  const autoRefresh = byId('auto-refresh-select');
  autoRefresh.value = state.refresh;
  autoRefresh.disabled = isAbsoluteTime(state.until);
  autoRefresh.title = autoRefresh.disabled ? 'This range ends at a fixed time: its samples do not change' : '';
  for (const button of document.querySelectorAll('.presets button')) {
    const active = state.until === DEFAULT_UNTIL && button.dataset.from === state.from;
    button.setAttribute('aria-pressed', String(active));
  }
  panels.sync(state, analysis);
}

/** A new range or threshold is a new view: it gets a history entry and a reload. */
function changeView(patch) {
  state = { ...state, ...patch };
  saveState('push');
  syncControls();
  load();
}

/** Table order, sandwich, layout or comparison changed; only some of these need the graph reloaded. */
function changeAnalysis(patch, { reload }) {
  analysis = { ...analysis, ...patch };
  saveState(patch.sort !== undefined ? 'replace' : 'push');
  syncControls();
  if (reload) load();
  else panels.showSandwich(state, analysis).catch(showSandwichError);
}

function showSandwichError(error) {
  if (!isAbort(error)) setView('error', `Could not load the callers and callees of ${analysis.fn}: ${error.message}`);
}

/** Times in the header name their zone once, at the end: the zone of the range's end. */
function showHeader(meta, total) {
  const time = (seconds) => formatInZone(seconds, state.zone);
  const zone = zoneLabel(meta.until, state.zone);
  byId('range-text').textContent = meta.from === 0
    ? `all data until ${time(meta.until)} ${zone}`
    : `${time(meta.from)} – ${time(meta.until)} ${zone}`;
  byId('total-samples').textContent = `${formatCount(total)} samples`;
  byId('pruned-note').textContent = prunedNote(meta);
}

function prunedNote(meta) {
  const detail = meta.path ? `detail under ${meta.path.at(-1)}; Reset zoom for the whole graph. ` : '';
  if (meta.prunedNodes === 0) return detail.trim();
  return `${detail}${formatCount(meta.prunedNodes)} small ${meta.prunedNodes === 1 ? 'frame' : 'frames'} merged into (other): ` +
    'click an (other), or the frame above it, to load them';
}

function clearHeader() {
  for (const id of ['range-text', 'total-samples', 'pruned-note']) byId(id).textContent = '';
}

/** A percentage the box cannot take: said beside it, in the user's words; the view stays as it was. */
function showThresholdError(message) {
  byId('threshold-error').textContent = message;
  byId('threshold-input').setAttribute('aria-invalid', String(message !== ''));
}

function showSearch() {
  const result = chart.search(state.search);
  byId('search-result').textContent = state.search && document.body.dataset.view === 'ready'
    ? `${formatCount(result.samples)} samples (${formatPercent(result.samples, result.total)}) match` +
      (state.zoom.length > 0 ? ' in the zoomed frame' : '')
    : '';
}

/** A click on a frame with pruned children (detailPath) loads the detail under it; any other zoom is drawn as is. */
function showZoom(path, detailPath = null) {
  if (detailPath !== null) {
    analysis = { ...analysis, detail: true };
    changeView({ zoom: detailPath });
    return;
  }
  state = { ...state, zoom: path };
  saveState('replace');
  byId('reset-zoom').disabled = path.length === 0;
  showSearch(); // a zoom changes which samples are in view
}

function showProfile(tree) {
  // A comparison's tree is drawn by shares; its header counts this range's samples.
  showHeader(tree.meta, tree.meta.targetTotal ?? tree.value);
  if (tree.value === 0) {
    setView('empty', `no samples for ${hostTitle(host)} in this range`);
    showLastData(byId('last-data'), host, state, inFlight?.signal);
    byId('reset-zoom').disabled = true;
    byId('search-result').textContent = '';
    return;
  }
  setView('ready');
  chart.update(tree);
  // zoomTo calls showZoom itself; a frame gone from the new range just drops the zoom.
  if (state.zoom.length === 0 || !chart.zoomTo(state.zoom)) showZoom([]);
}

/** Reloads a live range after its auto-refresh period; a hidden tab waits for the next one. */
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const seconds = autoRefreshSeconds(state);
  if (seconds === 0) return;
  refreshTimer = setTimeout(() => (document.hidden ? scheduleRefresh() : load()), seconds * 1000);
}

/** Copies the page's link with the range pinned; where the clipboard is refused, shows the link to copy by hand. */
async function copyAbsoluteLink() {
  const link = new URL(pageUrl(withAbsoluteRange(state, resolvedRange)), location.href).href;
  const field = byId('copy-link-field');
  try {
    await navigator.clipboard.writeText(link);
    field.hidden = true;
    byId('copy-link-result').textContent = 'link copied';
  } catch {
    field.value = link;
    field.hidden = false;
    field.focus();
    field.select();
    byId('copy-link-result').textContent = 'copy this link:';
  }
}

async function load() {
  inFlight?.abort();
  clearTimeout(refreshTimer);
  const request = new AbortController();
  inFlight = request;
  setView('loading');
  const { signal } = request;
  const urls = loadUrls(host, state, analysis);
  try {
    const [tree, steps, functions] = await Promise.all([
      fetchJson(urls.tree, { signal }),
      fetchJson(urls.timeline, { signal }),
      urls.functions === null ? null : fetchJson(urls.functions, { signal }),
    ]);
    timeline.update(steps, tree.meta.baseFrom === undefined ? null : { from: tree.meta.baseFrom, until: tree.meta.baseUntil });
    resolvedRange = { from: tree.meta.from, until: tree.meta.until };
    byId('copy-link').disabled = false;
    showProfile(tree);
    await panels.update(state, analysis, { tree, functions }, signal);
    scheduleRefresh();
  } catch (error) {
    if (isAbort(error)) return;
    scheduleRefresh(); // a live view tries again after a failed load
    if (analysis.detail && error.status === 404) {
      // The detailed frame is not in this range: show the whole graph instead.
      analysis = { ...analysis, detail: false };
      state = { ...state, zoom: [] };
      saveState('replace');
      load();
      return;
    }
    panels.clear();
    clearHeader();
    setView('error', `Could not load ${hostTitle(host)}: ${error.message}`);
    byId('search-result').textContent = '';
  }
}

function listen() {
  for (const button of document.querySelectorAll('.presets button')) {
    button.addEventListener('click', () => changeView({ from: button.dataset.from, until: DEFAULT_UNTIL }));
  }
  byId('range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    // A date and time typed without a zone is read in the zone shown beside it.
    changeView({
      from: withExplicitZone(byId('from-input').value.trim() || DEFAULT_FROM, state.zone),
      until: withExplicitZone(byId('until-input').value.trim() || DEFAULT_UNTIL, state.zone),
    });
  });
  byId('threshold-input').addEventListener('change', (event) => {
    const typed = readThresholdPercent(event.target.value);
    if (typed.error !== undefined) showThresholdError(typed.error);
    else changeView({ threshold: typed.fraction });
  });
  byId('zone-select').addEventListener('change', (event) => {
    const zone = event.target.value === 'utc' ? 'utc' : 'local';
    changeView({ zone, from: inZone(state.from, zone), until: inZone(state.until, zone) });
  });
  byId('refresh').addEventListener('click', load);
  byId('auto-refresh-select').addEventListener('change', (event) => {
    state = { ...state, refresh: event.target.value };
    saveState('replace');
    scheduleRefresh();
  });
  byId('copy-link').addEventListener('click', copyAbsoluteLink);
  for (const button of document.querySelectorAll('.orientation-switch button')) {
    // Only the drawing changes: no reload, and no history entry of its own.
    button.addEventListener('click', () => {
      state = { ...state, orientation: button.dataset.orientation === 'flame' ? 'flame' : 'icicle' };
      saveState('replace');
      syncControls();
    });
  }
  byId('search-input').addEventListener('input', debounce((event) => {
    state = { ...state, search: event.target.value };
    saveState('replace');
    showSearch();
    panels.sync(state, analysis);
  }, SEARCH_DEBOUNCE_MS));
  byId('reset-zoom').addEventListener('click', () => {
    // The detail's tree holds only the detailed frame's subtree: the whole graph needs a reload.
    if (analysis.detail) {
      analysis = { ...analysis, detail: false };
      changeView({ zoom: [] });
    } else {
      chart.resetZoom();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const typing = event.target instanceof HTMLElement && event.target.matches('input, select, textarea');
    if (event.key === '/' && !typing) {
      event.preventDefault(); // the slash is the shortcut, not the search's first character
      byId('search-input').focus();
      byId('search-input').select();
    } else if (event.key === 'Escape' && !typing && !byId('reset-zoom').disabled) {
      byId('reset-zoom').click();
    }
  });
  window.addEventListener('resize', debounce(() => {
    chart.resize();
    timeline.resize();
    panels.resize();
  }, RESIZE_DEBOUNCE_MS));
  window.addEventListener('popstate', () => {
    state = readViewState(location.search);
    analysis = readAnalysisState(location.search);
    syncControls();
    load();
  });
}

if (host === null) {
  setView('error', 'This address names no host: graph pages live at /graph/<host>/.');
} else {
  const title = hostTitle(host);
  byId('host-name').textContent = title;
  // Named when the page is idle (waiting for its answers, or after the draw): naming it takes Intl, costly at first.
  requestIdleCallback(() => {
    byId('zone-select').options[0].textContent = `local (${ianaZone('local')})`;
  });
  document.title = `${title} · liveprofiler`;
  // The URL always spells out the range (openingViewState gave zone-less times the shown zone's offset), so a copied link keeps it.
  saveState('replace');
  syncControls();
  listen();
  attachSelectorField({
    form: byId('selector-form'), input: byId('selector-input'), datalist: byId('selector-options'),
    selector: host, query: () => viewStateQuery({ ...state, zoom: [], search: '' }),
  });
  load();
}
