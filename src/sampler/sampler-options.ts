import path from 'node:path';

export interface SamplerOptions {
  /** Expected in the `Profiler-Token` (or `PROFILER_TOKEN`) request header. */
  secret: string;
  /** Seconds between samples; default 0.01. */
  intervalSeconds?: number;
  /** Seconds between folding the V8 profile into counts, which bounds its memory; default 10. */
  rotateSeconds?: number;
  /** Distinct stacks kept between reads; samples of further stacks count as `(other stacks)`. Default 10 000. */
  maxStacks?: number;
  /** Folder that file paths in frames are shown relative to; default the working folder. */
  root?: string;
  /** Route the counts are served on; default `/liveprofiler`. */
  path?: string;
}

export type SamplerSettings = Required<SamplerOptions>;

/** Defaults filled in and every option checked, so a mistake fails where the sampler is created. */
export function samplerSettings(options: SamplerOptions): SamplerSettings {
  const settings: SamplerSettings = {
    secret: options.secret,
    intervalSeconds: options.intervalSeconds ?? 0.01,
    rotateSeconds: options.rotateSeconds ?? 10,
    maxStacks: options.maxStacks ?? 10_000,
    root: path.resolve(options.root ?? process.cwd()),
    path: options.path ?? '/liveprofiler',
  };
  if (typeof settings.secret !== 'string' || settings.secret === '') {
    invalid('secret', 'must be a non-empty string');
  }
  // V8 takes whole microseconds.
  if (!isFiniteNumber(settings.intervalSeconds) || settings.intervalSeconds < 1e-6) {
    invalid('intervalSeconds', `must be a number of seconds of at least 0.000001, got ${String(options.intervalSeconds)}`);
  }
  // setInterval cannot wait longer than 2^31 - 1 ms.
  if (!isFiniteNumber(settings.rotateSeconds) || settings.rotateSeconds <= settings.intervalSeconds || settings.rotateSeconds > 2_147_483) {
    invalid('rotateSeconds', `must be a number of seconds above intervalSeconds and at most 2147483, got ${String(options.rotateSeconds)}`);
  }
  if (!Number.isInteger(settings.maxStacks) || settings.maxStacks < 1) {
    invalid('maxStacks', `must be a whole number of at least 1, got ${String(options.maxStacks)}`);
  }
  if (typeof settings.path !== 'string' || !settings.path.startsWith('/')) {
    invalid('path', `must start with '/', got ${String(options.path)}`);
  }
  return settings;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function invalid(option: string, problem: string): never {
  throw new TypeError(`liveprofilerSampler: option ${option} ${problem}`);
}
