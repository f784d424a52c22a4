import { BodyFormatError, SamplesBuilder, type ParsedSamples } from './parsed-samples.js';

const TIMING_LINE = /^(elapsed|granularity)\s+(\S+)$/;
const COUNT = /^\d+$/;

/**
 * Folded stacks (FlameGraph's collapsed format, nylas stacksampler): optional
 * `elapsed`/`granularity` lines first, then `frame;frame;frame COUNT` per
 * line. The count is the last whitespace-separated field, as frames may hold
 * spaces; blank lines are ignored, CRLF is fine. A line without a whole
 * count is skipped; a body with no acceptable line but some bad ones is not
 * folded text at all.
 */
export function parseFoldedStacks(text: string): ParsedSamples {
  const builder = new SamplesBuilder();
  const timing: Record<string, number> = {};
  let inHeader = true;
  let lines = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    const header = inHeader ? TIMING_LINE.exec(line) : null;
    if (header) {
      timing[header[1]] = Number(header[2]);
      continue;
    }
    inHeader = false;
    lines += 1;
    const split = line.search(/\s+\S+$/);
    const count = split > 0 ? line.slice(split).trim() : '';
    builder.add(split > 0 ? line.slice(0, split) : '', COUNT.test(count) ? Number(count) : NaN);
  }
  builder.setTiming(timing.elapsed, timing.granularity);
  const parsed = builder.build();
  if (lines > 0 && parsed.entries === 0) {
    throw new BodyFormatError('body is neither JSON nor folded stacks (no line ends in a sample count)');
  }
  return parsed;
}
