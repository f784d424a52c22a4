import { findArrayMember, type ArrayMember } from './json-array-member.js';
import { BodyFormatError, DEFAULT_BODY_LIMITS, SamplesBuilder, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { ENTRIES_PER_STEP, runAtOnce, type ParseSteps } from './parse-steps.js';

/**
 * The liveprofiler sampler's JSON: `{"elapsed", "granularity", "stacks":
 * [{"frame", "count"}]}`. `{}` (a sampler that never started) is zero stacks.
 * Bad entries are skipped; a body of the wrong shape is a BodyFormatError.
 */
export function parseLiveprofilerJson(text: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
  return runAtOnce(liveprofilerJsonSteps(text, limits));
}

/**
 * A body this short is handed to JSON.parse whole (a few milliseconds):
 * scanning it for its elements and parsing them as a copy of their own
 * would only double the work and the large strings the collector leaves to
 * the garbage collector (a 50-host fleet's bodies are ~200 KB each, every
 * second). Its entries are still added ENTRIES_PER_STEP at a time.
 */
export const WHOLE_PARSE_CHARS = 512 * 1024;

/**
 * parseLiveprofilerJson in pieces (see ParseSteps): the object without its
 * "stacks" elements first, then the elements ENTRIES_PER_STEP at a time,
 * each piece judged by JSON.parse. A short body (WHOLE_PARSE_CHARS), or
 * one whose "stacks" the scan cannot find (findArrayMember), is parsed whole.
 */
export function* liveprofilerJsonSteps(text: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParseSteps<ParsedSamples> {
  const member = text.length <= WHOLE_PARSE_CHARS ? null : yield* findArrayMember(text, 'stacks');
  const body = parseJson(member === null ? text : text.slice(0, member.open + 1) + text.slice(member.close));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BodyFormatError('JSON body is not an object');
  }
  const { stacks, elapsed, granularity } = body as Record<string, unknown>;
  if (stacks !== undefined && !Array.isArray(stacks)) {
    throw new BodyFormatError('JSON "stacks" is not an array');
  }
  const builder = new SamplesBuilder(limits);
  builder.setTiming(elapsed, granularity);
  const pieces = member === null ? [stacks ?? []] : elementPieces(text, member);
  let entries = 0;
  for (const piece of pieces) {
    for (const entry of piece) {
      if (++entries % ENTRIES_PER_STEP === 0) yield;
      const { frame, count } = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
      builder.add(frame, count);
    }
  }
  return builder.build();
}

/** The array's elements, ENTRIES_PER_STEP at a time, each piece parsed as it is reached. */
function* elementPieces(text: string, { open, close, commas }: ArrayMember): Generator<unknown[], void, void> {
  const elements = commas.length + 1;
  for (let first = 0; first < elements; first += ENTRIES_PER_STEP) {
    const last = Math.min(first + ENTRIES_PER_STEP, elements) - 1;
    const start = first === 0 ? open + 1 : commas[first - 1] + 1;
    const end = last === elements - 1 ? close : commas[last];
    const piece = parseJson(`[${text.slice(start, end)}]`) as unknown[];
    // A piece of fewer elements than its commas say held an empty one ("[1, ]"): not JSON, unless the array is empty.
    if (piece.length !== last - first + 1 && !(commas.length === 0 && piece.length === 0)) throw notJson();
    yield piece;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw notJson();
  }
}

function notJson(): BodyFormatError {
  return new BodyFormatError('body is not valid JSON');
}
