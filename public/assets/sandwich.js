// The sandwich view of one function: who calls it drawn above it, what it
// calls drawn below it, each a d3-flame-graph of its own. Charts are created
// on first use: a hidden container has no width to draw into.

import { fetchJson, hostUrl } from './api.js';
import { createFlameChart } from './flame-chart.js';
import { formatCount } from './format.js';
import { sandwichQuery } from './analysis-state.js';

/**
 * @param {{ section: HTMLElement, name: HTMLElement, summary: HTMLElement, callers: HTMLElement, callees: HTMLElement }} elements
 */
export function createSandwich(elements) {
  let charts = null;

  function ensureCharts() {
    // Callers: root (the function) at the bottom, callers growing up. Callees: an icicle hanging below it.
    charts ??= {
      callers: createFlameChart(elements.callers, { onZoom: () => {}, showSelf: false }),
      callees: createFlameChart(elements.callees, { onZoom: () => {}, inverted: true }),
    };
    return charts;
  }

  return {
    /** Loads and draws both sides for `name` over the view's range. */
    async show(host, view, name, signal) {
      elements.section.hidden = false;
      elements.name.textContent = name;
      const [callers, callees] = await Promise.all(['callers', 'callees'].map((side) =>
        fetchJson(`${hostUrl('profile', host)}?${sandwichQuery(view, name, side)}`, { signal })));
      const { callers: callersChart, callees: calleesChart } = ensureCharts();
      callersChart.update(callers);
      calleesChart.update(callees);
      elements.summary.textContent = `total ${formatCount(callees.value)} samples in this range`;
    },
    hide() {
      elements.section.hidden = true;
    },
    resize() {
      if (charts && !elements.section.hidden) {
        charts.callers.resize();
        charts.callees.resize();
      }
    },
  };
}
