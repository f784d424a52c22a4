import type { RequestHandler } from 'express';
import { carriesSecret, sha256 } from '../profiler-token.js';
import { samplerSettings, type SamplerOptions } from './sampler-options.js';
import { StackSampler, type RotationPause, type SamplerReading } from './stack-sampler.js';

export type { SamplerOptions } from './sampler-options.js';
export type { RotationPause } from './stack-sampler.js';

/** Express middleware serving this process's stack samples, plus control of the sampling behind it. */
export interface Sampler extends RequestHandler {
  /** Stops the profiler and its timer; afterwards the route answers `{}`. */
  stop(): Promise<void>;
  /** How long folding the V8 profile has paused the event loop (last and worst). */
  rotationPause(): RotationPause;
}

/** The liveprofiler protocol's body: `{}` when not sampling. */
type SamplerPayload = { elapsed: number; granularity: number; stacks: { frame: string; count: number }[] } | Record<string, never>;

/**
 * Starts sampling this process's CPU stacks and returns middleware that
 * answers the liveprofiler protocol on `GET options.path` (as the Python
 * sampler does): 403 with an empty body without the secret, otherwise the
 * counts since the last read, which are then reset. Other requests pass through.
 */
export function liveprofilerSampler(options: SamplerOptions): Sampler {
  const settings = samplerSettings(options);
  const secretDigest = sha256(settings.secret);
  const sampler = new StackSampler(settings);

  const serveSamples: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || req.path !== settings.path) {
      next();
      return;
    }
    if (!carriesSecret(req.headers, secretDigest)) {
      res.status(403).end();
      return;
    }
    res.set('Cache-Control', 'no-store').json(samplerPayload(sampler.read()));
  };

  return Object.assign(serveSamples, {
    stop: async () => sampler.stop(),
    rotationPause: () => sampler.rotationPause(),
  });
}

function samplerPayload(reading: SamplerReading | undefined): SamplerPayload {
  if (reading === undefined) return {};
  const stacks = [...reading.stacks].map(([frame, count]) => ({ frame, count }));
  return { elapsed: reading.elapsed, granularity: reading.granularity, stacks };
}
