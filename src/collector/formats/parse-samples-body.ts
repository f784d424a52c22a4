import { foldedStacksSteps } from './folded.js';
import { liveprofilerJsonSteps } from './liveprofiler-json.js';
import { BodyFormatError, DEFAULT_BODY_LIMITS, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { runAtOnce, type ParseSteps } from './parse-steps.js';
import { pprofSteps } from './pprof.js';

/** Bytes decoded between two pauses: a few milliseconds of strict UTF-8 decoding. */
const DECODED_BYTES_PER_STEP = 1024 * 1024;

/**
 * Picks the format from the body itself, never from the URL or Content-Type
 * (samplers often send none): pprof (gzipped or raw protobuf) is told from
 * the bytes before any decoding; the text formats need valid UTF-8: a JSON
 * object is the liveprofiler protocol, any other text is folded stacks.
 */
export function parseSamplesBody(body: Uint8Array, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
  return runAtOnce(samplesBodySteps(body, limits));
}

/** parseSamplesBody in pieces (see ParseSteps): every format pauses as it reads its entries. */
export function* samplesBodySteps(body: Uint8Array, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParseSteps<ParsedSamples> {
  const pprof = yield* pprofSteps(body, limits);
  if (pprof !== null) return pprof;
  const text = yield* decodeTextSteps(body);
  return text.trimStart().startsWith('{') ? yield* liveprofilerJsonSteps(text, limits) : yield* foldedStacksSteps(text, limits);
}

/**
 * The body as text, a megabyte at a time, or a BodyFormatError when it is
 * not valid UTF-8. Strict: bytes that are not UTF-8 are refused instead of
 * replaced with U+FFFD (a character cut between two pieces is carried over
 * by the streaming decoder).
 */
export function* decodeTextSteps(body: Uint8Array): ParseSteps<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces: string[] = [];
  try {
    for (let at = 0; at < body.length; at += DECODED_BYTES_PER_STEP) {
      if (at > 0) yield;
      pieces.push(decoder.decode(body.subarray(at, at + DECODED_BYTES_PER_STEP), { stream: true }));
    }
    pieces.push(decoder.decode());
  } catch {
    throw new BodyFormatError('body is not UTF-8 text (nor a binary format we read)');
  }
  return pieces.join('');
}
