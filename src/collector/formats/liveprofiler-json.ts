import { BodyFormatError, DEFAULT_BODY_LIMITS, SamplesBuilder, type BodyLimits, type ParsedSamples } from './parsed-samples.js';

/**
 * The liveprofiler sampler's JSON: `{"elapsed", "granularity", "stacks":
 * [{"frame", "count"}]}`. `{}` (a sampler that never started) is zero stacks.
 * Bad entries are skipped; a body of the wrong shape is a BodyFormatError.
 */
export function parseLiveprofilerJson(text: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedSamples {
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
  for (const entry of stacks ?? []) {
    const { frame, count } = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    builder.add(frame, count);
  }
  return builder.build();
}
