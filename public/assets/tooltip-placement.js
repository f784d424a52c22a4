// @ts-check
// Where a tooltip goes: beside the pointer (or the focused frame), flipped to
// the other side when it would run past the window's edge, and clamped so it
// is never cut off and never widens the page. Pure: sizes in, position out.

/** Gap between the pointer and the tooltip, and between the tooltip and the window's edge. */
export const TOOLTIP_GAP = 8;

/**
 * @typedef {{ x: number, y: number }} Point  window (client) coordinates
 * @typedef {{ width: number, height: number }} Size
 */

/**
 * One axis: after the anchor if it fits, else before it, else as far in as the window allows.
 * @param {number} anchor @param {number} size @param {number} windowSize
 */
function placeOnAxis(anchor, size, windowSize) {
  const after = anchor + TOOLTIP_GAP;
  if (after + size <= windowSize - TOOLTIP_GAP) return after;
  const before = anchor - TOOLTIP_GAP - size;
  if (before >= TOOLTIP_GAP) return before;
  return Math.max(TOOLTIP_GAP, windowSize - TOOLTIP_GAP - size);
}

/**
 * The tooltip's top-left corner in window coordinates (for `position: fixed`).
 * @param {Point} anchor  the pointer, or a point of the focused frame
 * @param {Size} tooltip  the tooltip's drawn size
 * @param {Size} window  the window's inner size, less any scroll bar
 * @returns {{ left: number, top: number }}
 */
export function tooltipPosition(anchor, tooltip, window) {
  return {
    left: placeOnAxis(anchor.x, tooltip.width, window.width),
    top: placeOnAxis(anchor.y, tooltip.height, window.height),
  };
}
