// The index page: every host with its collection status, refreshed every few seconds.

import { fetchJson, hostUrl } from './api.js';
import { formatAgo, formatCount } from './format.js';
import { groupSeries, seriesReadTogether } from './series-rows.js';
import { formatInZone, zoneLabel } from './time-zone.js';
import { ALL_HOSTS } from './view-state.js';

const REFRESH_MS = 10_000;

const byId = (id) => document.getElementById(id);

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function link(text, host) {
  const a = document.createElement('a');
  a.href = hostUrl('graph', host);
  a.textContent = text;
  return a;
}

/** The index shows the browser's own zone, named. */
function localTime(unixSeconds) {
  return `${formatInZone(unixSeconds, 'local')} ${zoneLabel(unixSeconds, 'local')}`;
}

function timeCell(row, time, text) {
  const td = cell(row, text);
  if (time !== null) td.title = localTime(time);
  return td;
}

/** One row's status from the series it merges: the latest success and error, the summed samples. */
function mergedStatus(hosts) {
  const latest = (times) => times.reduce((a, b) => (a === null || (b !== null && b > a) ? b : a), null);
  const lastError = hosts.map((host) => host.lastError).reduce((a, b) => (a === null || (b !== null && b.time > a.time) ? b : a), null);
  return {
    configured: hosts.some((host) => host.configured),
    lastSuccess: latest(hosts.map((host) => host.lastSuccess)),
    lastError,
    samplesLastHour: hosts.reduce((sum, host) => sum + host.samplesLastHour, 0),
  };
}

function appRow(tbody, group) {
  const row = tbody.insertRow();
  row.className = 'app';
  cell(row, '').append(link(group.app, group.selector));
  cell(row, `${group.rows.length} series`, 'muted');
  cell(row, '');
  cell(row, formatCount(group.rows.reduce((sum, series) => sum + mergedStatus(series.hosts).samplesLastHour, 0)), 'number');
}

function seriesRow(tbody, series, now, nested) {
  const host = mergedStatus(series.hosts);
  const row = tbody.insertRow();
  if (nested) row.className = 'series';
  const name = cell(row, '');
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
    name.append(' ', badge);
  }
  timeCell(row, host.lastSuccess, host.lastSuccess === null ? 'never' : formatAgo(host.lastSuccess, now));
  const failedLast = host.lastError !== null && (host.lastSuccess === null || host.lastError.time >= host.lastSuccess);
  const error = timeCell(row, host.lastError?.time ?? null,
    host.lastError === null ? '' : `${formatAgo(host.lastError.time, now)}: ${host.lastError.reason}`);
  // An error older than the last success is history, not a current problem.
  error.className = failedLast ? 'error' : 'muted';
  cell(row, formatCount(host.samplesLastHour), 'number');
}

function allHostsRow(tbody, listed) {
  const hosts = seriesReadTogether(listed);
  const row = tbody.insertRow();
  row.className = 'all-hosts';
  cell(row, '').append(link('all hosts', ALL_HOSTS));
  cell(row, `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} merged`, 'muted');
  cell(row, '');
  cell(row, formatCount(hosts.reduce((sum, host) => sum + host.samplesLastHour, 0)), 'number');
}

function render({ now, hosts }) {
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
  byId('message').textContent = '';
  allHostsRow(tbody, hosts);
  for (const group of groupSeries(hosts)) {
    // A host without labels is one plain row, as it always was; an app with labelled series gets a row of its own above them.
    const plain = group.rows.length === 1 && group.rows[0].selector === group.app;
    if (!plain) appRow(tbody, group);
    for (const series of group.rows) seriesRow(tbody, series, now, !plain);
  }
}

async function refresh() {
  try {
    render(await fetchJson('/hosts'));
  } catch (error) {
    // Keep the last table: stale status beside an error beats a blank page.
    document.body.dataset.view = byId('hosts').tBodies[0].rows.length > 0 ? 'stale' : 'error';
    byId('message').textContent = `Could not load the hosts: ${error.message}`;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
