// A row's sparkline: its samples per window over the last hour or day, as a
// small filled area. Uses the global `d3` from /vendor; attributes only (the
// page's policy refuses inline styles).

import { formatCount } from './format.js';

const WIDTH = 120;
const HEIGHT = 24;

/**
 * Draws `samples` (window i starts at from + i*step) into `cell`, scaled to
 * its own peak; the cell's title and the graphic's label say the peak.
 */
export function drawSparkline(cell, samples, { step, spanLabel }) {
  const peak = Math.max(0, ...samples);
  const x = d3.scaleLinear().domain([0, Math.max(samples.length - 1, 1)]).range([0, WIDTH]);
  const y = d3.scaleLinear().domain([0, peak || 1]).range([HEIGHT - 1, 1]);
  const svg = d3.select(cell).append('svg')
    .attr('class', 'sparkline')
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    .attr('width', WIDTH)
    .attr('height', HEIGHT)
    .attr('preserveAspectRatio', 'none')
    .attr('role', 'img');
  const perWindow = step >= 3600 ? `${step / 3600} h` : `${step / 60} min`;
  const label = `samples per ${perWindow} over the ${spanLabel}: peak ${formatCount(peak)}`;
  svg.attr('aria-label', label);
  cell.title = label;
  svg.append('path').attr('class', 'spark-area').attr('d', d3.area().x((_, i) => x(i)).y0(HEIGHT).y1((d) => y(d))(samples));
  svg.append('path').attr('class', 'spark-line').attr('d', d3.line().x((_, i) => x(i)).y((d) => y(d))(samples));
}
