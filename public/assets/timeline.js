// The timeline: samples per time step over the range, as SVG bars, with a
// brush that selects a narrower range. Uses the global `d3` from /vendor.

import { formatCount } from './format.js';
import { formatInZone, zoneLabel } from './time-zone.js';

const HEIGHT = 96;

/** 24-hour clock like the page header, in the shown zone; the date only at midnight, seconds only off the minute. */
function tickLabel(zone) {
  const utc = zone === 'utc';
  const [minute, day, format] = utc ? [d3.utcMinute, d3.utcDay, d3.utcFormat] : [d3.timeMinute, d3.timeDay, d3.timeFormat];
  return (date) => {
    if (minute(date) < date) return format('%H:%M:%S')(date);
    if (day(date) < date) return format('%H:%M')(date);
    return format('%b %d')(date);
  };
}

/** Samples are whole numbers: no 0.5 tick, and an empty range has an axis of just 0. */
function sampleTicks(y, max) {
  return max === 0 ? [0] : y.ticks(3).filter(Number.isInteger);
}
const MARGIN = { top: 8, right: 28, bottom: 22, left: 52 };

/**
 * The whole steps a brushed pixel span covers, as an inclusive Unix-seconds
 * range: brushing part of a bar takes the whole bar, so the graph shows what
 * the bars promised.
 */
export function brushedRange(timeline, fromSeconds, untilSeconds) {
  const steps = timeline.samples.length;
  const first = Math.min(steps - 1, Math.max(0, Math.floor((fromSeconds - timeline.from) / timeline.step)));
  const end = Math.min(steps, Math.max(first + 1, Math.ceil((untilSeconds - timeline.from) / timeline.step)));
  return {
    from: timeline.from + first * timeline.step,
    until: Math.min(timeline.until, timeline.from + end * timeline.step - 1),
  };
}

/**
 * @param {HTMLElement} container  the chart fills its width
 * @param {HTMLElement} readout  shows the step under the pointer
 * @param {{ onBrush(from: number, until: number): void, zone(): 'local' | 'utc' }} handlers
 *   onBrush gets Unix seconds, inclusive; zone is the zone times are shown in
 */
export function createTimeline(container, readout, { onBrush, zone }) {
  const svg = d3.select(container).append('svg').attr('class', 'timeline-chart').attr('height', HEIGHT);
  let timeline = null;
  /** A comparison's baseline range (Unix seconds, inclusive), shaded where it overlaps the timeline. */
  let baseline = null;

  function draw() {
    const width = container.clientWidth;
    svg.attr('width', width).selectAll('*').remove();
    const { from, step, samples } = timeline;
    const max = d3.max(samples) ?? 0;
    const x = (zone() === 'utc' ? d3.scaleUtc() : d3.scaleTime())
      .domain([new Date(from * 1000), new Date((from + samples.length * step) * 1000)])
      .range([MARGIN.left, width - MARGIN.right]);
    const y = d3.scaleLinear()
      .domain([0, max || 1]).nice()
      .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    const stepStart = (i) => new Date((from + i * step) * 1000);
    const barWidth = Math.max(1, x(stepStart(1)) - x(stepStart(0)) - 1);

    const end = from + samples.length * step;
    if (baseline && baseline.until >= from && baseline.from < end) {
      const left = x(new Date(Math.max(baseline.from, from) * 1000));
      const right = x(new Date(Math.min(baseline.until + 1, end) * 1000));
      svg.append('rect').attr('class', 'baseline-band')
        .attr('x', left).attr('width', Math.max(1, right - left))
        .attr('y', MARGIN.top).attr('height', HEIGHT - MARGIN.top - MARGIN.bottom);
    }
    svg.append('g').attr('class', 'bars').selectAll('rect').data(samples).join('rect')
      .attr('class', 'bar')
      .attr('x', (_, i) => x(stepStart(i)))
      .attr('width', barWidth)
      .attr('y', (n) => y(n))
      .attr('height', (n) => y(0) - y(n));
    svg.append('g').attr('class', 'axis x-axis')
      .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickFormat(tickLabel(zone())));
    svg.append('g').attr('class', 'axis y-axis')
      .attr('transform', `translate(${MARGIN.left},0)`)
      .call(d3.axisLeft(y).tickValues(sampleTicks(y, max)).tickFormat(d3.format('~s')));

    const brush = d3.brushX()
      .extent([[MARGIN.left, MARGIN.top], [width - MARGIN.right, HEIGHT - MARGIN.bottom]])
      .on('end', (event) => {
        // Only a user's brush counts (not clearing it in code), and a click without a drag selects nothing.
        if (!event.sourceEvent || !event.selection) return;
        const [x0, x1] = event.selection.map((px) => x.invert(px).getTime() / 1000);
        const range = brushedRange(timeline, x0, x1);
        onBrush(range.from, range.until);
      });
    svg.append('g').attr('class', 'brush').call(brush);

    svg.on('mousemove', (event) => {
      const [px] = d3.pointer(event);
      const i = Math.floor((x.invert(px).getTime() / 1000 - from) / step);
      readout.textContent = i >= 0 && i < samples.length
        ? `${formatInZone(from + i * step, zone())} ${zoneLabel(from + i * step, zone())}: ${formatCount(samples[i])} samples`
        : '';
    }).on('mouseleave', () => {
      readout.textContent = '';
    });
  }

  return {
    /** Draws `{from, until, step, samples}` from GET /timeline, and a comparison's `{from, until}` baseline or null. */
    update(data, baselineRange = null) {
      timeline = data;
      baseline = baselineRange;
      draw();
    },
    resize() {
      if (timeline) draw();
    },
  };
}
