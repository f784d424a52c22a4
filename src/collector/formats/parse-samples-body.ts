import { parseFoldedStacks } from './folded.js';
import { parseLiveprofilerJson } from './liveprofiler-json.js';
import type { ParsedSamples } from './parsed-samples.js';

/**
 * Picks the format from the body itself, never from the URL or Content-Type
 * (samplers often send none): a JSON object is the liveprofiler protocol,
 * anything else is folded text.
 */
export function parseSamplesBody(text: string): ParsedSamples {
  return text.trimStart().startsWith('{') ? parseLiveprofilerJson(text) : parseFoldedStacks(text);
}
