// The flame chart: one d3-flame-graph instance and the only code that talks to
// it. Create, update with data, search, zoom and reset zoom, resize; fetching
// and page state live elsewhere. Uses the globals `d3` and `flamegraph` from
// /vendor (UMD builds; d3-flame-graph 5's UMD global holds the chart factory
// as `default`, beside `tooltip`).

import { createFrameTooltip } from './frame-tooltip.js';
import { formatCount, formatPercent } from './format.js';
import { isArrowKey, nextFrame } from './frame-navigation.js';
import { packageOfFrame } from './frame-package.js';
import { packageColor } from './package-color.js';

const CELL_HEIGHT = 18;
const ZOOM_TRANSITION_MS = 300;
/**
 * Frames this narrow or narrower are not drawn (d3-flame-graph's minFrameSize): a
 * sliver of a pixel or two can be neither read nor aimed at, and in an 8,000-node
 * profile 44 % of the frames over a pixel wide are under two. flamegraph.pl and
 * other flame graph tools leave such frames out too. Only the drawing changes:
 * a frame's samples stay in its parent's width, and tooltip and search count
 * every frame of the tree, drawn or not.
 */
const MIN_FRAME_PX = 2;
/** A frame at least this wide shows its name (d3-flame-graph's own threshold for a visible label). */
const LABEL_MIN_PX = 35;
export const HIGHLIGHT_COLOR = '#d6249f';
const OTHER_COLOR = '#c8ccd2';

/** A tree rooted at 'root' draws its root as "all"; a sandwich's root is its function. */
function frameName(node) {
  return node.depth === 0 && node.data.name === 'root' ? 'all' : node.data.name;
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

/** Samples that end in this frame: its value less its children's. */
function selfValue(data) {
  return data.value - (data.children ?? []).reduce((sum, child) => sum + child.value, 0);
}

/**
 * Plain text (the tooltip writes it with textContent): the name is data, never markup.
 * `showSelf` is false for a callers tree, whose children are callers, not callees.
 */
function tooltipText(node, showSelf) {
  if (node.data.delta !== undefined) return diffTooltipText(node);
  const total = rootOf(node).data.value;
  const samples = `${formatCount(node.data.value)} samples, ${formatPercent(node.data.value, total)} of the total`;
  if (node.data.other) {
    return `${node.data.name}\n${samples}\nsmall frames the server merged to keep the graph fast: click to load them`;
  }
  const pkg = packageOfFrame(node.data.name);
  const packageLine = pkg === '' ? '' : `\npackage ${pkg}`;
  if (!showSelf) return `${frameName(node)}\n${samples}${packageLine}`;
  const self = selfValue(node.data);
  return `${frameName(node)}\n${samples}\nself ${formatCount(self)} samples, ${formatPercent(self, total)} of the total${packageLine}`;
}

/** A comparison's frame: both sides' samples and shares, and the change in share. */
function diffTooltipText(node) {
  const root = rootOf(node).data;
  const { target, baseline } = node.data;
  const targetShare = root.target > 0 ? target / root.target : 0;
  const baselineShare = root.baseline > 0 ? baseline / root.baseline : 0;
  const points = (100 * (targetShare - baselineShare)).toFixed(2);
  return `${frameName(node)}\n` +
    `this range: ${formatCount(target)} samples, ${formatPercent(target, root.target)}\n` +
    `baseline: ${formatCount(baseline)} samples, ${formatPercent(baseline, root.baseline)}\n` +
    `change: ${targetShare >= baselineShare ? '+' : ''}${points} points of share`;
}

/**
 * Red for frames whose share grew, blue for those that shrank, grey for the
 * unchanged; stronger the larger the change relative to the frame's shares
 * (full for frames found on one side only; the square root lets a frame
 * that doubled stand out, not just one that appeared).
 */
export function diffColor(data) {
  const strength = data.value > 0 ? Math.sqrt(Math.min(1, Math.abs(data.delta) / data.value)) : 0;
  if (strength < 0.1) return 'rgb(220,220,220)'; // under 1% relative change: unchanged
  const fade = Math.round(220 * (1 - strength));
  return data.delta > 0 ? `rgb(230,${fade},${fade})` : `rgb(${fade},${fade},230)`;
}

/**
 * The path to load in full when a frame is clicked, or null: an "(other)"
 * stands for its parent's pruned children, and a frame with an "(other)"
 * child has pruned children of its own.
 */
function prunedDetailPath(node, path) {
  // The root's own pruned children are the whole graph's: there is no more detail to ask for.
  if (node.data.other) return node.depth > 1 ? path.slice(0, -1) : null;
  return node.depth > 0 && node.data.children?.some((child) => child.other) ? path : null;
}

/**
 * What d3-flame-graph calls on a transition, done to `selection` at once:
 * timing has nothing to wait for, values are set now.
 */
function settingAtOnce(selection) {
  const instant = {
    duration: () => instant,
    delay: () => instant,
    ease: () => instant,
    attr: (name, value) => (selection.attr(name, value), instant),
    style: (name, value) => (selection.style(name, value), instant),
    text: (value) => (selection.text(value), instant),
  };
  return instant;
}

/**
 * @param {HTMLElement} container  the chart fills its width
 * @param {{ onZoom(path: string[], detailPath: string[] | null): void, inverted?: boolean, showSelf?: boolean }} options
 *   path = frame names from the root's child down to the zoomed frame;
 *   detailPath, for a click (not a restored zoom) on a frame with pruned
 *   children, = the frames whose whole subtree the server should send;
 *   inverted draws the root at the top (an icicle); showSelf: the tooltip
 *   gives self samples (what a frame's children do not account for)
 */
export function createFlameChart(container, { onZoom, inverted = false, showSelf = true }) {
  const tooltip = createFrameTooltip((node) => tooltipText(node, showSelf));
  const chart = flamegraph.default()
    .width(container.clientWidth)
    .cellHeight(CELL_HEIGHT)
    .minFrameSize(MIN_FRAME_PX)
    .transitionDuration(ZOOM_TRANSITION_MS)
    .getName(frameName)
    .tooltip(tooltip)
    .setSearchMatch(matchesLiterally)
    .inverted(inverted)
    .setColorMapper((node) => {
      if (node.highlight) return HIGHLIGHT_COLOR;
      if (node.data.delta !== undefined) return diffColor(node.data);
      return node.data.other ? OTHER_COLOR : packageColor(packageOfFrame(node.data.name), node.data.name);
    })
    .onClick((node) => {
      // Every zoom (a click, Enter, zoomTo, resetZoom) ends here, after d3-flame-graph redrew the frames.
      labelWideFramesOnly();
      const path = node.ancestors().reverse().slice(1).map((n) => n.data.name);
      onZoom(path, restoring ? null : prunedDetailPath(node, path));
    });
  let drawn = false;
  /** Set while the page restores a zoom, so d3-flame-graph's click callback can tell it from a click. */
  let restoring = false;
  /** Whether the drawn tree carries highlights, so an empty search on a fresh tree costs no redraw. */
  let highlighted = false;
  let lastSearch = { samples: 0, total: 0 };
  chart.setSearchHandler((_matches, samples, total) => {
    lastSearch = { samples, total };
  });

  /**
   * Runs `draw` (a d3-flame-graph update) with no animation, finished when
   * it returns. d3-flame-graph sets frame positions, widths and labels in
   * transitions; even at duration 0 each is scheduled on d3's timer and run
   * an animation frame later (the browser then lays out and paints the
   * frames twice, first bare), and for 4,000 frames the transitions cost
   * 40-70 ms of script beyond the attributes they set. Meanwhile,
   * selection.transition() hands back a stand-in that sets them at once
   * (after stopping any zoom animation, as a new transition would).
   * And a new frame gets its label box only if wide enough to show the
   * label: d3-flame-graph appends one to every frame, and on a first draw
   * of 2,000 frames making the 97 % that labelWideFramesOnly then removes
   * cost 20-40 ms (its later updates select the boxes, and skip the frames
   * without one).
   */
  function drawAtOnce(draw) {
    const { transition, append } = d3.selection.prototype;
    d3.selection.prototype.transition = function instantTransition() {
      return settingAtOnce(this.interrupt());
    };
    d3.selection.prototype.append = function appendLabelBoxesWhereShown(name) {
      return append.call(name === 'foreignObject' ? this.filter(isLabelled) : this, name);
    };
    try {
      draw();
    } finally {
      d3.selection.prototype.transition = transition;
      d3.selection.prototype.append = append;
    }
    labelWideFramesOnly();
  }

  /** Whether the frame of `node` is wide enough for its label, as drawn now. */
  function isLabelled(node) {
    return (node.x1 - node.x0) * chart.width() >= LABEL_MIN_PX;
  }

  /**
   * d3-flame-graph gives every frame a foreignObject and a div for its label,
   * and only hides the label of a frame narrower than 35 px; in a big profile
   * that is 97 % of the frames, and half of all elements the browser styles
   * and lays out for nothing. After each draw or zoom: the label goes from
   * every frame too narrow for it, and a frame a zoom made wide enough gets
   * one, as d3-flame-graph draws it (which updates it from then on).
   */
  function labelWideFramesOnly() {
    const width = chart.width();
    d3.select(container).selectAll('g.frame').each(function label(node) {
      const box = this.querySelector(':scope > foreignObject');
      if (!isLabelled(node)) box?.remove();
      else if (box === null) {
        d3.select(this).append('foreignObject')
          .attr('width', (node.x1 - node.x0) * width).attr('height', CELL_HEIGHT).style('pointer-events', 'none')
          .append('xhtml:div').attr('class', 'd3-flame-graph-label').style('display', 'block').text(frameName(node));
      }
    });
  }

  function hierarchyRoot() {
    return d3.select(container).datum();
  }

  /** Outlines every frame of the function under the pointer (or none): where else it is called from. */
  function markSameFunction(name) {
    d3.select(container).selectAll('g.frame').classed('same-function', (node) => name !== null && node.data.name === name);
  }
  container.addEventListener('mouseover', (event) => {
    const frame = event.target instanceof Element ? event.target.closest('g.frame') : null;
    const node = frame === null ? null : d3.select(frame).datum();
    markSameFunction(node && node.depth > 0 && !node.data.other ? node.data.name : null);
  });
  container.addEventListener('mouseleave', () => markSameFunction(null));

  // Keyboard: the chart takes focus like a control; the arrows move a focus frame, Enter zooms to it as a click would.
  /** The frame the arrow keys move from, while the chart has keyboard focus. */
  let focused = null;
  container.tabIndex = 0;
  container.setAttribute('role', 'group');
  container.setAttribute('aria-label', 'Flame graph: arrow keys move between frames, Enter zooms, Escape resets the zoom');
  const isDrawn = (node) => (node.x1 - node.x0) * container.clientWidth > MIN_FRAME_PX;

  /** Marks the focus frame; again after every redraw, since d3-flame-graph rewrites the frames' classes. */
  function markFocus() {
    return d3.select(container).selectAll('g.frame').classed('keyboard-focus', (d) => d === focused);
  }

  /** Makes `node` (null: none) the focus frame and shows its tooltip under it. */
  function focusFrame(node) {
    focused = node;
    const frame = node === null ? null : markFocus().filter((d) => d === node).node();
    if (!frame) {
      tooltip.hide();
      return;
    }
    frame.scrollIntoView({ block: 'nearest' });
    const box = frame.getBoundingClientRect();
    tooltip.showAt({ x: box.left + Math.min(box.width / 2, 40), y: box.bottom }, node);
  }
  container.addEventListener('focus', () => {
    // A click focuses the chart too; only keyboard focus (focus-visible) gets a focus frame.
    if (drawn && container.matches(':focus-visible')) focusFrame(focused ?? hierarchyRoot());
  });
  container.addEventListener('blur', () => focusFrame(null));
  container.addEventListener('keydown', (event) => {
    if (focused === null) return;
    if (isArrowKey(event.key)) {
      event.preventDefault(); // the arrows move the focus frame, not the page
      const next = nextFrame(focused, event.key, { inverted: chart.inverted(), isDrawn });
      if (next !== null) focusFrame(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const node = focused;
      chart.zoomTo(node); // as a click: onClick runs, and may load the detail under a pruned frame
      if (focused !== null) focusFrame(node); // zoomTo redrew the frames' classes
    }
  });

  return {
    /** Draws a new tree (`{name, value, children}`), instantly: animation is for zooming. */
    update(tree) {
      // null height: size it to this tree's depth; the width may have changed while the chart was hidden.
      chart.height(null).width(container.clientWidth);
      drawAtOnce(() => (drawn ? chart.update(tree) : d3.select(container).datum(tree).call(chart)));
      drawn = true;
      highlighted = false;
      // A new tree has new frames: keyboard focus starts again at its root.
      focusFrame(document.activeElement === container ? hierarchyRoot() : null);
    },

    /**
     * Highlights frames whose name contains `term` and answers how many samples
     * they cover: a match inside a match counts once (d3-flame-graph's sum
     * skips nodes under a matched ancestor), and while zoomed, only what is in view.
     */
    search(term) {
      if (!drawn || (term === '' && !highlighted)) return { samples: 0, total: 0 };
      chart.search(term);
      labelWideFramesOnly();
      markFocus();
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
      restoring = true;
      drawAtOnce(() => chart.zoomTo(node)); // restoring a view, not a click: no animation to watch
      restoring = false;
      return true;
    },

    resetZoom() {
      if (!drawn) return;
      restoring = true;
      chart.resetZoom();
      restoring = false;
      if (focused !== null) focusFrame(focused);
    },

    /** The drawn SVG element, or null before the first draw. */
    svg() {
      return container.querySelector('svg');
    },

    resize() {
      chart.width(container.clientWidth);
      if (drawn) {
        chart.update();
        labelWideFramesOnly();
      }
    },

    /** Root at the top (an icicle) or at the bottom (a flame graph); the zoom stays. */
    setInverted(inverted) {
      if (chart.inverted() === inverted) return;
      chart.inverted(inverted);
      if (drawn) drawAtOnce(() => chart.update());
    },
  };
}
