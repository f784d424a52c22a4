import type { StackCounts } from '../../profile/stack-counts.js';
import { addSamples } from '../../profile/stack-counts.js';

/** What every body format parses into. */
export interface ParsedSamples {
  stacks: StackCounts;
  /** Entries (JSON items or folded lines) accepted; repeats of one stack count separately. */
  entries: number;
  /** Entries refused for a bad frame or count. */
  skipped: number;
  /** Seconds since the sampler's last reset, when it said. */
  elapsed: number | null;
  /** Sampling interval in seconds, when it said. */
  granularity: number | null;
  /** What was sampled, when the body says (pprof): CPU and wall time are never stored as one series. */
  profileType: ProfileType | null;
  /** Unix seconds at which the profiled window ended, when the body says (pprof). */
  profiledUntil: number | null;
}

export type ProfileType = 'cpu' | 'wall';

/** A body that is not any format we read; the message is the reason reported for the host. */
export class BodyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyFormatError';
  }
}

/** Longest stack accepted; longer ones are absurd for a call stack and skipped. */
export const MAX_STACK_LENGTH = 64 * 1024;

/** Collects accepted entries; both formats validate an entry the same way. */
export class SamplesBuilder {
  private readonly parsed: ParsedSamples = { stacks: new Map(), entries: 0, skipped: 0, elapsed: null, granularity: null, profileType: null, profiledUntil: null };

  /** Adds one entry if its stack and count are acceptable, else counts it as skipped. */
  add(stack: unknown, count: unknown): void {
    if (typeof stack !== 'string' || stack === '' || stack.length > MAX_STACK_LENGTH || !isSampleCount(count)) {
      this.parsed.skipped += 1;
      return;
    }
    this.parsed.entries += 1;
    if (count > 0) addSamples(this.parsed.stacks, stack, count);
  }

  setTiming(elapsed: unknown, granularity: unknown): void {
    if (isNonNegativeNumber(elapsed)) this.parsed.elapsed = elapsed;
    if (isNonNegativeNumber(granularity)) this.parsed.granularity = granularity;
  }

  setProfile(type: ProfileType, profiledUntil: number | null): void {
    this.parsed.profileType = type;
    this.parsed.profiledUntil = profiledUntil;
  }

  build(): ParsedSamples {
    return this.parsed;
  }
}

function isSampleCount(count: unknown): count is number {
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0;
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
