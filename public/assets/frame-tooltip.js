// The flame chart's tooltip. It speaks d3-flame-graph's tooltip interface
// (a function it calls once on the SVG, with show(event, node), hide() and
// destroy()) but is placed in window coordinates
// by tooltipPosition: d3-flame-graph's own measures the tip while it is still
// hidden (width 0), so it never flips and runs off the right edge.

import { tooltipPosition } from './tooltip-placement.js';

/** @param {(node: object) => string} textOf  plain text: frame names are data, never markup */
export function createFrameTooltip(textOf) {
  const element = document.createElement('div');
  element.className = 'd3-flame-graph-tip frame-tip';
  element.hidden = true;
  document.body.append(element);

  /** Shows `node`'s text beside `anchor`, a point in window coordinates. */
  function showAt(anchor, node) {
    element.textContent = textOf(node);
    // Measured at the window's left edge, where nothing squeezes its width.
    element.style.left = '0px';
    element.style.top = '0px';
    element.hidden = false;
    const { width, height } = element.getBoundingClientRect();
    const viewport = document.documentElement;
    const { left, top } = tooltipPosition(anchor, { width, height }, { width: viewport.clientWidth, height: viewport.clientHeight });
    element.style.left = `${left}px`;
    element.style.top = `${top}px`;
  }

  // d3-flame-graph takes only a function, and calls it with the SVG on first draw: the element exists already.
  return Object.assign(() => {}, {
    show(event, node) {
      showAt({ x: event.clientX, y: event.clientY }, node);
    },
    showAt,
    hide() {
      element.hidden = true;
    },
    destroy() {
      element.remove();
    },
  });
}
