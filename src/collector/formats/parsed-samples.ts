import { codePointName, firstUnprintable } from '../../printable-text.js';
import type { StackCounts } from '../../profile/stack-counts.js';
import { addSamples, MAX_SAMPLE_COUNT } from '../../profile/stack-counts.js';

/** What every body format parses into. */
export interface ParsedSamples {
  stacks: StackCounts;
  /** Entries (JSON items or folded lines) accepted; repeats of one stack count separately. */
  entries: number;
  /** Entries refused for a bad frame or count. */
  skipped: number;
  /** How many entries were refused for each reason; the counts add up to `skipped`. */
  skippedReasons: Record<string, number>;
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

/** A body that is not any format we read, or is refused as a whole; the message is the reason reported for the host. */
export class BodyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyFormatError';
  }
}

/** What one body may hold. */
export interface BodyLimits {
  /** Distinct stacks in one body; past this the body is refused whole ([collector] max_stacks). */
  maxStacks: number;
  /** A compressed body (gzipped pprof) never inflates past this ([collector] max_body_size). */
  maxInflatedBytes: number;
}

export const DEFAULT_MAX_STACKS = 100_000;
export const DEFAULT_BODY_LIMITS: BodyLimits = { maxStacks: DEFAULT_MAX_STACKS, maxInflatedBytes: 32 * 1024 * 1024 };

/** Longest stack accepted, in characters: 10,000 frames of some 50 characters. */
export const MAX_STACK_LENGTH = 512 * 1024;
/** Deepest stack accepted, in frames; deeper ones are skipped. */
export const MAX_STACK_DEPTH = 10_000;

/** Why an entry was skipped: the keys of `skippedReasons`. */
const SKIP_REASONS = {
  noFrame: 'frame is not a non-empty string',
  badCount: `count is not a whole number from 0 to ${MAX_SAMPLE_COUNT}`,
  tooLong: `longer than ${MAX_STACK_LENGTH} characters`,
  tooDeep: `deeper than ${MAX_STACK_DEPTH} frames`,
  tooManySamples: `more than ${MAX_SAMPLE_COUNT} samples of one stack`,
} as const;

/** Collects accepted entries; every format validates an entry the same way. */
export class SamplesBuilder {
  private readonly parsed: ParsedSamples = {
    stacks: new Map(), entries: 0, skipped: 0, skippedReasons: {}, elapsed: null, granularity: null, profileType: null, profiledUntil: null,
  };

  constructor(private readonly limits: BodyLimits = DEFAULT_BODY_LIMITS) {}

  /**
   * Adds one entry if its stack and count are acceptable, else counts it as
   * skipped. A frame that is not printable text refuses the whole body: it is
   * garbage, not one bad sample.
   */
  add(stack: unknown, count: unknown): void {
    if (typeof stack !== 'string' || stack === '') return this.skip(SKIP_REASONS.noFrame);
    const unprintable = firstUnprintable(stack);
    if (unprintable !== null) {
      const entry = this.parsed.entries + this.parsed.skipped + 1;
      throw new BodyFormatError(`entry ${entry}: a frame holds the unprintable character ${codePointName(unprintable.codePoint)}; the body is refused`);
    }
    if (!isSampleCount(count)) return this.skip(SKIP_REASONS.badCount);
    if (stack.length > MAX_STACK_LENGTH) return this.skip(SKIP_REASONS.tooLong);
    if (isDeeperThan(stack, MAX_STACK_DEPTH)) return this.skip(SKIP_REASONS.tooDeep);
    const { stacks } = this.parsed;
    const before = stacks.get(stack);
    if ((before ?? 0) + count > MAX_SAMPLE_COUNT) return this.skip(SKIP_REASONS.tooManySamples);
    if (before === undefined && count > 0 && stacks.size === this.limits.maxStacks) {
      throw new BodyFormatError(`more than ${this.limits.maxStacks} distinct stacks in one body (the [collector] max_stacks limit); the body is refused`);
    }
    this.parsed.entries += 1;
    if (count > 0) addSamples(stacks, stack, count);
  }

  /** Counts one entry as skipped for `reason`. */
  skip(reason: string): void {
    this.parsed.skipped += 1;
    this.parsed.skippedReasons[reason] = (this.parsed.skippedReasons[reason] ?? 0) + 1;
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
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= MAX_SAMPLE_COUNT;
}

/** Whether `stack` has more than `depth` frames, counting ';' no further than needed. */
function isDeeperThan(stack: string, depth: number): boolean {
  let frames = 1;
  for (let at = stack.indexOf(';'); at !== -1; at = stack.indexOf(';', at + 1)) {
    if (++frames > depth) return true;
  }
  return false;
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
