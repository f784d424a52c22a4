// Everything on the graph page beyond the flame graph itself: the functions
// table, the sandwich of the chosen function, the comparison's table of
// changed functions, the layout and compare controls and the download menu.
// The page owns the state; this module draws it and reports what the user
// asks for through onChange(patch, { reload }).

import { fetchJson, hostUrl } from './api.js';
import {
  COMPARE_PRESETS, changedFunctions, downloadQuery, isComparing,
} from './analysis-state.js';
import { formatCount } from './format.js';
import { formatInZone, zoneLabel } from './time-zone.js';
import { createFunctionsTable, renderChanges } from './functions-table.js';
import { createSandwich } from './sandwich.js';

const CHANGED_ROWS = 10;
const DOWNLOAD_FORMATS = ['folded', 'speedscope', 'pprof'];

const byId = (id) => document.getElementById(id);

/**
 * @param {string} host
 * @param {{ svg(): SVGElement | null }} chart  the page's flame chart, for the SVG download
 * @param {{ onChange(patch: object, options: { reload: boolean }): void }} handlers
 */
export function createAnalysisPanels(host, chart, { onChange }) {
  const table = createFunctionsTable(byId('functions-table'), byId('functions-note'), {
    onSort: (sort) => onChange({ sort }, { reload: false }),
    onSelect: (fn) => onChange({ fn }, { reload: false }),
  });
  const sandwich = createSandwich({
    section: byId('sandwich'),
    name: byId('sandwich-name'),
    summary: byId('sandwich-summary'),
    callers: byId('callers-chart'),
    callees: byId('callees-chart'),
  });
  /** What the sandwich shows now, so re-sorting the table does not reload it. */
  let sandwichKey = '';

  for (const button of document.querySelectorAll('.layout-switch button')) {
    button.addEventListener('click', () => onChange({ layout: button.dataset.layout }, { reload: true }));
  }
  byId('compare-select').addEventListener('change', (event) => {
    const compare = event.target.value;
    // Another host needs its name first: the form's submit starts that comparison.
    if (compare === 'host') {
      byId('base-host-form').hidden = false;
      byId('base-host-input').focus();
      return;
    }
    onChange({ compare }, { reload: true });
  });
  byId('base-host-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const baseHost = byId('base-host-input').value.trim();
    if (baseHost) onChange({ compare: 'host', baseHost }, { reload: true });
  });
  byId('sandwich-close').addEventListener('click', () => onChange({ fn: '' }, { reload: false }));
  byId('download-svg').addEventListener('click', () => downloadSvg(chart.svg(), `${safeFileName(host)}.svg`));
  // The baseline host's suggestions load when the field is first focused, not with the page: /hosts reads
  // every host's last hour, which the server would do while it builds the graph's own answers.
  let hostListLoaded = false;
  byId('base-host-input').addEventListener('focus', fillHostList);

  async function fillHostList() {
    if (hostListLoaded) return;
    hostListLoaded = true;
    try {
      const { hosts } = await fetchJson('/hosts');
      byId('host-list').replaceChildren(...hosts.map((entry) => {
        const option = document.createElement('option');
        option.value = entry.name;
        return option;
      }));
    } catch {
      hostListLoaded = false; // suggestions only: the field still takes any host name typed in, and the next focus retries
    }
  }

  return {
    /** Puts the controls, the table's order and filter and the download links in step with the state. */
    sync(view, analysis) {
      document.body.dataset.layout = analysis.layout;
      document.body.dataset.compare = isComparing(analysis) ? 'on' : 'off';

      for (const button of document.querySelectorAll('.layout-switch button')) {
        button.setAttribute('aria-pressed', String(button.dataset.layout === analysis.layout));
      }
      byId('compare-select').value = analysis.compare;
      byId('base-host-form').hidden = analysis.compare !== 'host';
      if (analysis.compare === 'host') byId('base-host-input').value = analysis.baseHost;
      for (const format of DOWNLOAD_FORMATS) {
        byId(`download-${format}`).href = `${hostUrl('profile', host)}?${downloadQuery(view, analysis, format)}`;
      }
      table.show({ sort: analysis.sort, search: view.search, selected: analysis.fn });
    },

    /** Draws what came with a load: the functions, a comparison's changes, the sandwich. */
    async update(view, analysis, { tree, functions }, signal) {
      if (functions) table.update(functions);
      else table.clear();
      if (isComparing(analysis)) await showChanges(tree.meta, functions, analysis, view.zone, signal);
      else hideChanges(analysis);
      sandwichKey = '';
      await this.showSandwich(view, analysis, signal);
    },

    /** Opens, reloads or closes the sandwich as the state says. */
    async showSandwich(view, analysis, signal) {
      if (!analysis.fn) {
        sandwich.hide();
        sandwichKey = '';
        return;
      }
      const key = JSON.stringify([view.from, view.until, analysis.fn]);
      if (key === sandwichKey) return;
      sandwichKey = key;
      await sandwich.show(host, view, analysis.fn, signal);
    },

    clear() {
      table.clear();
      hideChanges();
    },

    resize() {
      sandwich.resize();
    },
  };

  async function showChanges(meta, target, analysis, zone, signal) {
    const baseHost = meta.baseHost;
    const baseline = await fetchJson(
      `${hostUrl('functions', baseHost)}?${new URLSearchParams({ from: meta.baseFrom, until: meta.baseUntil })}`,
      { signal },
    );
    const { grew, shrank } = changedFunctions(target, baseline, CHANGED_ROWS);
    renderChanges(byId('changes-grew'), grew);
    renderChanges(byId('changes-shrank'), shrank);
    byId('changes-panel').hidden = false;
    const legend = byId('compare-legend');
    const brushing = analysis.compare === 'range' ? ' Drag across the timeline to pick another baseline.' : '';
    legend.textContent = `Compared with ${COMPARE_PRESETS[analysis.compare].label}: ${baseHost}, ` +
      `${formatInZone(meta.baseFrom, zone)} – ${formatInZone(meta.baseUntil, zone)} ${zoneLabel(meta.baseUntil, zone)} (${formatCount(meta.baselineTotal)} samples).${brushing} Red: share of samples grew; blue: shrank; width: both ranges' shares together.`;
    legend.hidden = false;
  }

  /** No comparison drawn: the legend only asks for a baseline still to be brushed. */
  function hideChanges(analysis = null) {
    byId('changes-panel').hidden = true;
    const legend = byId('compare-legend');
    legend.hidden = analysis?.compare !== 'range';
    legend.textContent = legend.hidden ? '' : 'Drag across the timeline to pick the baseline range.';
  }
}

/** A file name made of characters every file system takes. */
function safeFileName(host) {
  return host.replace(/[^A-Za-z0-9._-]/g, '_') || 'host';
}

/** Saves the drawn flame graph as a standalone SVG file. */
function downloadSvg(svg, fileName) {
  if (!svg) return;
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const text = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
