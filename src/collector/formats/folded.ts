import { BodyFormatError, DEFAULT_BODY_LIMITS, SamplesBuilder, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { ENTRIES_PER_STEP, runAtOnce, type ParseSteps } from './parse-steps.js';

const TIMING_KEYS = new Set(['elapsed', 'granularity']);
/** A line whose last field is not a whole count. */
const NO_COUNT = 'line does not end in a sample count';

/**
 * Folded stacks (FlameGraph's collapsed format, nylas stacksampler): optional
 * `elapsed`/`granularity` lines first, then `frame;frame;frame COUNT` per
 * line. The count is the last whitespace-separated field, as frames may hold
 * spaces; blank lines are ignored, CRLF is fine. A line without a whole
 * count is skipped; a body with no acceptable line but some bad ones is not
 * folded text at all. Every line is read by hand from its end, once: the
 * time is linear in the body whatever it holds.
 */
export function parseFoldedStacks(text: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
  return runAtOnce(foldedStacksSteps([text], limits));
}

/**
 * parseFoldedStacks over text given in pieces (utf8Pieces), pausing every
 * ENTRIES_PER_STEP lines: a line may be cut anywhere between two pieces.
 */
export function* foldedStacksSteps(pieces: Iterable<string>, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParseSteps<ParsedSamples> {
  const builder = new SamplesBuilder(limits);
  const timing: Record<string, number> = {};
  let inHeader = true;
  let lines = 0;
  // Lines are taken one at a time, so a body refused part-way (max_stacks) costs no more than that part.
  for (const untrimmed of linesOf(pieces)) {
    const line = untrimmed.trim();
    if (line === '') continue;
    const { head, last } = splitLastField(line);
    if (inHeader && TIMING_KEYS.has(head)) {
      timing[head] = Number(last);
      continue;
    }
    inHeader = false;
    lines += 1;
    if (lines % ENTRIES_PER_STEP === 0) yield;
    if (head === '' || !isDigits(last)) builder.skip(NO_COUNT);
    else builder.add(head, Number(last));
  }
  builder.setTiming(timing.elapsed, timing.granularity);
  const parsed = builder.build();
  if (lines > 0 && parsed.entries === 0 && parsed.skippedReasons[NO_COUNT] === lines) {
    throw new BodyFormatError('body is neither JSON nor folded stacks (no line ends in a sample count)');
  }
  return parsed;
}

/** The '\n'-separated lines of a text given in pieces, a line cut between pieces joined again. */
function* linesOf(pieces: Iterable<string>): Generator<string, void, void> {
  let cut = '';
  for (const piece of pieces) {
    let start = 0;
    for (let end = piece.indexOf('\n'); end !== -1; start = end + 1, end = piece.indexOf('\n', start)) {
      yield cut + piece.slice(start, end);
      cut = '';
    }
    cut += piece.slice(start);
  }
  if (cut !== '') yield cut;
}

/** A trimmed line split at its last run of white space: `head` is '' when there is none. */
function splitLastField(line: string): { head: string; last: string } {
  let end = line.length;
  while (end > 0 && !isWhiteSpace(line.charCodeAt(end - 1))) end--;
  if (end === 0) return { head: '', last: line };
  const last = line.slice(end);
  while (end > 0 && isWhiteSpace(line.charCodeAt(end - 1))) end--;
  return { head: line.slice(0, end), last };
}

/** What String.prototype.trim removes: ASCII and Unicode spaces, line ends and the BOM. */
function isWhiteSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f ||
    code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

function isDigits(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}
