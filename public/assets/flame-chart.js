// The flame chart: one d3-flame-graph instance and the only code that talks to
// it. Create, update with data, search, zoom and reset zoom, resize; fetching
// and page state live elsewhere. Uses the globals `d3` and `flamegraph` from
// /vendor (UMD builds; d3-flame-graph 5's UMD global holds the chart factory
// as `default`, beside `tooltip`).

import { formatCount, formatPercent } from './format.js';

const CELL_HEIGHT = 18;
const ZOOM_TRANSITION_MS = 300;
/** Frames narrower than a pixel can be neither seen nor clicked; skipping them keeps big profiles fast. */
const MIN_FRAME_PX = 1;
export const HIGHLIGHT_COLOR = '#d6249f';
const OTHER_COLOR = '#c8ccd2';

function frameName(node) {
  return node.depth === 0 ? 'all' : node.data.name;
}

/** Literal, case-insensitive: a search for `(__main__)` means those characters, not a regex. */
function matchesLiterally(node, term) {
  return node.depth > 0 && term !== '' && node.data.name.toLowerCase().includes(term.toLowerCase());
}

function rootOf(node) {
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

/** Plain text (the tooltip writes it with textContent): the name is data, never markup. */
function tooltipText(node) {
  const share = formatPercent(node.data.value, rootOf(node).data.value);
  const samples = `${formatCount(node.data.value)} samples, ${share} of the total`;
  if (node.data.other) return `${node.data.name}\n${samples}\nsmall frames the server merged to keep the graph fast`;
  return `${frameName(node)}\n${samples}`;
}

/**
 * @param {HTMLElement} container  the chart fills its width
 * @param {{ onZoom(path: string[]): void }} handlers  path = frame names from the root's child down to the zoomed frame
 */
export function createFlameChart(container, { onZoom }) {
  const tooltip = flamegraph.tooltip.defaultFlamegraphTooltip().text(tooltipText);
  const chart = flamegraph.default()
    .width(container.clientWidth)
    .cellHeight(CELL_HEIGHT)
    .minFrameSize(MIN_FRAME_PX)
    .transitionDuration(ZOOM_TRANSITION_MS)
    .getName(frameName)
    .tooltip(tooltip)
    .setSearchMatch(matchesLiterally)
    .setColorMapper((node, color) => {
      if (node.highlight) return HIGHLIGHT_COLOR;
      return node.data.other ? OTHER_COLOR : color;
    })
    .onClick((node) => onZoom(node.ancestors().reverse().slice(1).map((n) => n.data.name)));
  let drawn = false;
  /** Whether the drawn tree carries highlights, so an empty search on a fresh tree costs no redraw. */
  let highlighted = false;
  let lastSearch = { samples: 0, total: 0 };
  chart.setSearchHandler((_matches, samples, total) => {
    lastSearch = { samples, total };
  });

  function hierarchyRoot() {
    return d3.select(container).datum();
  }

  return {
    /** Draws a new tree (`{name, value, children}`), instantly: animation is for zooming. */
    update(tree) {
      // null height: size it to this tree's depth; the width may have changed while the chart was hidden.
      chart.transitionDuration(0).height(null).width(container.clientWidth);
      if (drawn) chart.update(tree);
      else d3.select(container).datum(tree).call(chart);
      drawn = true;
      highlighted = false;
      chart.transitionDuration(ZOOM_TRANSITION_MS);
    },

    /**
     * Highlights frames whose name contains `term` and answers how many samples
     * they cover: a match inside a match counts once (d3-flame-graph's sum
     * skips nodes under a matched ancestor), and while zoomed, only what is in view.
     */
    search(term) {
      if (!drawn || (term === '' && !highlighted)) return { samples: 0, total: 0 };
      chart.search(term);
      highlighted = term !== '';
      return lastSearch;
    },

    /** Zooms to the frame at `path`; false (and no zoom) when this tree has no such frame. */
    zoomTo(path) {
      let node = hierarchyRoot();
      for (const name of path) {
        node = node.children?.find((child) => child.data.name === name);
        if (!node) return false;
      }
      chart.transitionDuration(0); // restoring a view, not a click: no animation to watch
      chart.zoomTo(node);
      chart.transitionDuration(ZOOM_TRANSITION_MS);
      return true;
    },

    resetZoom() {
      if (drawn) chart.resetZoom();
    },

    resize() {
      chart.width(container.clientWidth);
      if (drawn) chart.update();
    },
  };
}
