import { foldedStacksSteps } from './folded.js';
import { liveprofilerJsonSteps } from './liveprofiler-json.js';
import { DEFAULT_BODY_LIMITS, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { runAtOnce, type ParseSteps } from './parse-steps.js';
import { pprofSteps } from './pprof.js';
import { utf8Pieces, utf8TextBytes } from './utf8-text.js';

/**
 * Picks the format from the body itself, never from the URL or Content-Type
 * (samplers often send none): pprof (gzipped or raw protobuf) is told from
 * the bytes before any decoding; the text formats need valid UTF-8: a JSON
 * object is the liveprofiler protocol, any other text is folded stacks.
 */
export function parseSamplesBody(body: Uint8Array, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
  return runAtOnce(samplesBodySteps(body, limits));
}

/**
 * parseSamplesBody in pieces (see ParseSteps): every format pauses as it
 * reads its entries. The whole body is checked to be UTF-8 before any of it
 * is parsed, so a body that is not is refused for that, whatever else is wrong.
 */
export function* samplesBodySteps(body: Uint8Array, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParseSteps<ParsedSamples> {
  const pprof = yield* pprofSteps(body, limits);
  if (pprof !== null) return pprof;
  const text = utf8TextBytes(body);
  return isJsonObject(utf8Pieces(text))
    ? yield* liveprofilerJsonSteps(text, limits)
    : yield* foldedStacksSteps(utf8Pieces(text), limits);
}

/** Whether the text's first character other than white space (String.prototype.trimStart's) is '{'. */
function isJsonObject(pieces: Iterable<string>): boolean {
  for (const piece of pieces) {
    const trimmed = piece.trimStart();
    if (trimmed !== '') return trimmed.startsWith('{');
  }
  return false;
}
