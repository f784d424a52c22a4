import { parseFoldedStacks } from './folded.js';
import { parseLiveprofilerJson } from './liveprofiler-json.js';
import { BodyFormatError, DEFAULT_BODY_LIMITS, type BodyLimits, type ParsedSamples } from './parsed-samples.js';
import { parsePprof } from './pprof.js';

/** Refuses bytes that are not UTF-8 instead of replacing them with U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Picks the format from the body itself, never from the URL or Content-Type
 * (samplers often send none): pprof (gzipped or raw protobuf) is told from
 * the bytes before any decoding; the text formats need valid UTF-8: a JSON
 * object is the liveprofiler protocol, any other text is folded stacks.
 */
export function parseSamplesBody(body: Uint8Array, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
  const pprof = parsePprof(body, limits);
  if (pprof !== null) return pprof;
  const text = decodeText(body);
  return text.trimStart().startsWith('{') ? parseLiveprofilerJson(text, limits) : parseFoldedStacks(text, limits);
}

/** The body as text, or a BodyFormatError when it is not valid UTF-8. */
export function decodeText(body: Uint8Array): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw new BodyFormatError('body is not UTF-8 text (nor a binary format we read)');
  }
}
