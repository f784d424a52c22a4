import { foldedStacksSteps } from './folded.js';
import { liveprofilerJsonSteps } from './liveprofiler-json.js';
import { DEFAULT_BODY_LIMITS, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { runAtOnce, type ParseSteps } from './parse-steps.js';
import { pprofSteps } from './pprof.js';
import { TEXT_PIECE_BYTES, utf8Pieces, utf8TextBytes } from './utf8-text.js';

/** Pieces decoded between two pauses when a text is wanted whole (JSON): a megabyte. */
const PIECES_PER_STEP = (1024 * 1024) / TEXT_PIECE_BYTES;

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
    ? yield* liveprofilerJsonSteps(yield* wholeTextSteps(text), limits)
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

/** UTF-8 `text` (utf8TextBytes) as one string, decoded a megabyte at a time. */
function* wholeTextSteps(text: Uint8Array): ParseSteps<string> {
  const pieces: string[] = [];
  for (const piece of utf8Pieces(text)) {
    if (pieces.push(piece) % PIECES_PER_STEP === 0) yield;
  }
  return pieces.join('');
}
