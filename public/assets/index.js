// The index page: every host with its collection status and a sparkline,
// sortable and filterable (both kept in the URL), refreshed every few seconds.

import { fetchJson, hostUrl } from './api.js';
import { formatAgo, formatCount } from './format.js';
import { createForgetDialog } from './forget-dialog.js';
import { arrangeGroups, listStateQuery, mergedStatus, nameParts, readListState, sortedBy, sumLines } from './host-list.js';
import { groupSeries, seriesReadTogether } from './series-rows.js';
import { drawSparkline } from './sparkline.js';
import { formatInZone, zoneLabel } from './time-zone.js';
import { ALL_HOSTS } from './view-state.js';

const REFRESH_MS = 10_000;
const SPAN_LABELS = { '1h': 'last hour', '1d': 'last day' };

const byId = (id) => document.getElementById(id);
let state = readListState(location.search);
/** The last answer of /hosts, re-drawn as the sort or filter changes. */
let listing = null;
let refreshTimer;
/** Only the newest request draws: a slow answer for the old span never overwrites the new one. */
let requests = 0;

const openForget = createForgetDialog({
  onForgotten(message) {
    byId('notice').textContent = message;
    refresh();
  },
});

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/** A link to the graph whose text may wrap only after a separator (web-1.example.com never splits mid-word). */
function link(text, host) {
  const a = document.createElement('a');
  a.href = hostUrl('graph', host);
  for (const part of nameParts(text)) a.append(part, document.createElement('wbr'));
  return a;
}

/** The index shows the browser's own zone, named. */
function localTime(unixSeconds) {
  return `${formatInZone(unixSeconds, 'local')} ${zoneLabel(unixSeconds, 'local')}`;
}

function timeCell(row, time, text, className) {
  const td = cell(row, text, className);
  if (time !== null) td.title = localTime(time);
  return td;
}

function sparkCell(row, line) {
  const td = cell(row, '', 'spark-col');
  if (line !== null) drawSparkline(td, line, { step: listing.spark.step, spanLabel: SPAN_LABELS[listing.spark.span] });
}

function samplesCell(row, samples) {
  cell(row, formatCount(samples), 'number');
}

function appRow(tbody, group, lineOf) {
  const row = tbody.insertRow();
  row.className = 'app';
  cell(row, '').append(link(group.app, group.selector));
  cell(row, `${group.rows.length} series`, 'muted');
  cell(row, '');
  const members = group.rows.flatMap((series) => series.hosts);
  samplesCell(row, mergedStatus(members).samplesLastHour);
  sparkCell(row, lineOf(members));
}

function seriesRow(tbody, series, now, nested, lineOf) {
  const host = mergedStatus(series.hosts);
  const row = tbody.insertRow();
  if (nested) row.className = 'series';
  const name = cell(row, '', 'name');
  name.append(link(series.title, series.selector));
  if (series.internal !== '') {
    const internal = document.createElement('span');
    internal.className = 'muted internal-labels';
    internal.textContent = series.internal;
    name.append(' ', internal);
  }
  if (!host.configured) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'not configured';
    badge.title = 'stored samples (pushed, or from an earlier configuration), but not in [collector] hosts';
    const forget = document.createElement('button');
    forget.type = 'button';
    forget.className = 'forget';
    forget.textContent = 'forget';
    forget.setAttribute('aria-label', `Forget ${series.title}`);
    forget.addEventListener('click', () => openForget(series.title, series.hosts.map((member) => member.name)));
    name.append(' ', badge, ' ', forget);
  }
  timeCell(row, host.lastSuccess, host.lastSuccess === null ? 'never' : formatAgo(host.lastSuccess, now), 'when');
  const failedLast = host.lastError !== null && (host.lastSuccess === null || host.lastError.time >= host.lastSuccess);
  // An error older than the last success is history, not a current problem.
  timeCell(row, host.lastError?.time ?? null, host.lastError === null ? '' : `${formatAgo(host.lastError.time, now)}: ${host.lastError.reason}`,
    failedLast ? 'error' : 'muted');
  samplesCell(row, host.samplesLastHour);
  sparkCell(row, lineOf(series.hosts));
}

function allHostsRow(tbody, listed, lineOf) {
  const hosts = seriesReadTogether(listed);
  const row = tbody.insertRow();
  row.className = 'all-hosts';
  cell(row, '').append(link('all hosts', ALL_HOSTS));
  cell(row, `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} merged`, 'muted');
  cell(row, '');
  samplesCell(row, hosts.reduce((sum, host) => sum + host.samplesLastHour, 0));
  sparkCell(row, lineOf(hosts));
}

function showControls() {
  for (const th of document.querySelectorAll('#hosts th[data-sort]')) {
    if (th.dataset.sort === state.sort) th.setAttribute('aria-sort', state.order === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  for (const button of document.querySelectorAll('.spark-switch button')) {
    button.setAttribute('aria-pressed', String(button.dataset.spark === state.spark));
  }
  byId('spark-heading').textContent = SPAN_LABELS[state.spark];
}

function render() {
  showControls();
  if (listing === null) return;
  const { now, hosts, spark } = listing;
  const tbody = byId('hosts').tBodies[0];
  tbody.replaceChildren();
  byId('updated').textContent = `updated ${localTime(now)}`;
  if (hosts.length === 0) {
    document.body.dataset.view = 'empty';
    byId('message').textContent =
      'No hosts yet. List them in [collector] hosts of the config, or push samples with POST /ingest?host=NAME.';
    return;
  }
  document.body.dataset.view = 'ready';
  // The server draws lines for the first hosts of its listing only (a bound on the work); the rest get none.
  const lines = new Map((spark?.samples ?? []).map((line, i) => [hosts[i].name, line]));
  const lineOf = (members) => sumLines(members.map((member) => lines.get(member.name)));
  allHostsRow(tbody, hosts, lineOf);
  const groups = arrangeGroups(groupSeries(hosts), state);
  byId('message').textContent = groups.length === 0 ? `No host matches “${state.filter.trim()}”.` : '';
  for (const group of groups) {
    // A host without labels is one plain row, as it always was; an app with labelled series gets a row of its own above them.
    const plain = group.rows.length === 1 && group.rows[0].selector === group.app;
    if (!plain) appRow(tbody, group, lineOf);
    for (const series of group.rows) seriesRow(tbody, series, now, !plain, lineOf);
  }
}

async function refresh() {
  clearTimeout(refreshTimer);
  const request = ++requests;
  try {
    const answer = await fetchJson(`/hosts?spark=${state.spark}`);
    if (request !== requests) return;
    listing = answer;
    render();
  } catch (error) {
    if (request !== requests) return;
    // Keep the last table: stale status beside an error beats a blank page.
    document.body.dataset.view = byId('hosts').tBodies[0].rows.length > 0 ? 'stale' : 'error';
    byId('message').textContent = `Could not load the hosts: ${error.message}`;
  } finally {
    if (request === requests) refreshTimer = setTimeout(refreshIfShown, REFRESH_MS);
  }
}

/**
 * Whether a refresh came due while the tab was hidden. A hidden index waits
 * to be seen again: left open in a background tab, it would otherwise ask
 * for /hosts (sparklines included) and redraw every row each 10 s for as
 * long as it stays open, which over 1,000 hosts is some 600 ms of the
 * browser's main thread each time.
 */
let refreshWhenShown = false;

function refreshIfShown() {
  if (document.hidden) refreshWhenShown = true;
  else refresh();
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden || !refreshWhenShown) return;
  refreshWhenShown = false;
  refresh();
});

/** The URL says what the list shows, so a reload or a pasted link shows the same. */
function changeState(change) {
  state = { ...state, ...change };
  const query = listStateQuery(state);
  history.replaceState(null, '', query === '' ? location.pathname : `?${query}`);
}

function listen() {
  const filter = byId('host-filter');
  filter.value = state.filter;
  filter.addEventListener('input', () => {
    changeState({ filter: filter.value });
    render();
  });
  for (const button of document.querySelectorAll('#hosts th button[data-sort]')) {
    button.addEventListener('click', () => {
      changeState(sortedBy(state, button.dataset.sort));
      render();
    });
  }
  for (const button of document.querySelectorAll('.spark-switch button')) {
    button.addEventListener('click', () => {
      if (button.dataset.spark === state.spark) return;
      changeState({ spark: button.dataset.spark });
      showControls();
      refresh();
    });
  }
}

listen();
showControls();
refresh();
