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

/** parseLiveprofilerJson, pausing every ENTRIES_PER_STEP entries (JSON.parse itself is one piece). */
export function* liveprofilerJsonSteps(text: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParseSteps<ParsedSamples> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BodyFormatError('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BodyFormatError('JSON body is not an object');
  }
  const { stacks, elapsed, granularity } = body as Record<string, unknown>;
  if (stacks !== undefined && !Array.isArray(stacks)) {
    throw new BodyFormatError('JSON "stacks" is not an array');
  }
  const builder = new SamplesBuilder(limits);
  builder.setTiming(elapsed, granularity);
  let entries = 0;
  for (const entry of stacks ?? []) {
    if (++entries % ENTRIES_PER_STEP === 0) yield;
    const { frame, count } = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    builder.add(frame, count);
  }
  return builder.build();
}
