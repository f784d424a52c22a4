import { findArrayMember, type ArrayMember } from './json-array-member.js';
import { BodyFormatError, DEFAULT_BODY_LIMITS, SamplesBuilder, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { ENTRIES_PER_STEP, runAtOnce, type ParseSteps } from './parse-steps.js';
import { TEXT_PIECE_BYTES } from './utf8-text.js';

/**
 * The liveprofiler sampler's JSON: `{"elapsed", "granularity", "stacks":
 * [{"frame", "count"}]}`. `{}` (a sampler that never started) is zero stacks.
 * Bad entries are skipped; a body of the wrong shape is a BodyFormatError.
 */
export function parseLiveprofilerJson(text: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
  return runAtOnce(liveprofilerJsonSteps(Buffer.from(text, 'utf8'), limits));
}

/**
 * A body this short is decoded and handed to JSON.parse whole: its string
 * is small enough for V8's young generation. A longer one is never one
 * string: a string past 128 KB is fresh memory of its own, page-faulted in
 * on this kind of VM (a 50-host fleet's ~200 KB bodies took 1.4 ms each to
 * decode whole, in pieces 0.02 ms). Its entries are added ENTRIES_PER_STEP
 * at a time either way.
 */
export const WHOLE_PARSE_BYTES = TEXT_PIECE_BYTES;

/**
 * parseLiveprofilerJson in pieces (see ParseSteps), from the body's UTF-8
 * bytes (utf8TextBytes): the object without its "stacks" elements first,
 * then the elements, decoded and judged by JSON.parse at most
 * TEXT_PIECE_BYTES at a time (an element longer than that on its own). A
 * short body (WHOLE_PARSE_BYTES), or one whose "stacks" the scan cannot
 * find (findArrayMember), is parsed whole.
 */
export function* liveprofilerJsonSteps(text: Uint8Array, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParseSteps<ParsedSamples> {
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const member = bytes.length <= WHOLE_PARSE_BYTES ? null : yield* findArrayMember(bytes, 'stacks');
  const body = parseJson(member === null ? bytes.toString('utf8') : bytes.toString('utf8', 0, member.open + 1) + bytes.toString('utf8', member.close));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BodyFormatError('JSON body is not an object');
  }
  const { stacks, elapsed, granularity } = body as Record<string, unknown>;
  if (stacks !== undefined && !Array.isArray(stacks)) {
    throw new BodyFormatError('JSON "stacks" is not an array');
  }
  const builder = new SamplesBuilder(limits);
  builder.setTiming(elapsed, granularity);
  const pieces = member === null ? [stacks ?? []] : elementPieces(bytes, member);
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

/** The array's elements, in pieces of at most TEXT_PIECE_BYTES (or one element), each decoded and parsed as it is reached. */
function* elementPieces(bytes: Buffer, { open, close, commas }: ArrayMember): Generator<unknown[], void, void> {
  const elements = commas.length + 1;
  const endOf = (element: number) => (element === elements - 1 ? close : commas[element]);
  for (let first = 0; first < elements; ) {
    const start = first === 0 ? open + 1 : commas[first - 1] + 1;
    let last = first;
    while (last + 1 < elements && endOf(last + 1) - start <= TEXT_PIECE_BYTES) last++;
    const piece = parseJson(`[${bytes.toString('utf8', start, endOf(last))}]`) as unknown[];
    // A piece of fewer elements than its commas say held an empty one ("[1, ]"): not JSON, unless the array is empty.
    if (piece.length !== last - first + 1 && !(commas.length === 0 && piece.length === 0)) throw notJson();
    yield piece;
    first = last + 1;
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
