import { parseFoldedStacks } from './folded.js';
import { parseLiveprofilerJson } from './liveprofiler-json.js';
import type { ParsedSamples } from './parsed-samples.js';
import { parsePprof } from './pprof.js';

/**
 * Picks the format from the body itself, never from the URL or Content-Type
 * (samplers often send none): pprof (gzipped or raw protobuf) is told from
 * the bytes before any text decoding; then a JSON object is the liveprofiler
 * protocol, anything else is folded text. A gzipped body never inflates past
 * `maxInflatedBytes`.
 */
export function parseSamplesBody(body: Uint8Array, maxInflatedBytes: number): ParsedSamples {
  const pprof = parsePprof(body, maxInflatedBytes);
  if (pprof !== null) return pprof;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.trimStart().startsWith('{') ? parseLiveprofilerJson(text) : parseFoldedStacks(text);
}
