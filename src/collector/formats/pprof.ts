import { gunzipSync } from 'node:zlib';
import { Profile, type Location } from 'pprof-format';
import { foldSafeFrame } from '../../profile/stack-counts.js';
import { BodyFormatError, MAX_STACK_LENGTH, SamplesBuilder, type BodyLimits, type ParsedSamples, type ProfileType } from './parsed-samples.js';
import { ENTRIES_PER_STEP, runAtOnce, type ParseSteps } from './parse-steps.js';

/** The first two bytes of every gzip stream. */
const GZIP_MAGIC = [0x1f, 0x8b];
/**
 * The tag bytes a Profile field can start with (fields 1-14, each with its
 * wire type): Go writes time_nanos (0x48) first, others sample_type (0x0a).
 * Some are printable, so a body starting with one is only tried as pprof.
 */
const PROFILE_FIELD_TAGS = new Set([0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x38, 0x40, 0x48, 0x50, 0x5a, 0x60, 0x6a, 0x70]);
/**
 * Characters of distinct stacks one profile may expand to. Frames are shared
 * in the body but repeated in every stack, so a small body could otherwise
 * spell out gigabytes of names.
 */
const MAX_STACK_CHARACTERS = 64 * 1024 * 1024;

/** Whether `body` is a gzip stream (any gzipped body is taken as pprof: no other format we read is gzipped). */
function isGzip(body: Uint8Array): boolean {
  return body.length >= 2 && body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
}

/**
 * A pprof profile's bytes (gzipped or raw protobuf) → its samples of each
 * profile type it holds, its own type first, or null when raw bytes are not
 * a profile (then they may be text). Never inflates past `limits.maxInflatedBytes`.
 *
 * The profile's own type (`cpu` or `wall`) is what it sampled by (its period
 * type), read from `samples/count` (Go's CPU profile, @datadog/pprof's time
 * profile). A `cpu/nanoseconds` or `wall/nanoseconds` value of the other type
 * (the Pyroscope Node agent's wall profile carries CPU time) becomes samples
 * by dividing by the period, rounded per stack: the two are never one
 * series. Frames are `function (file:line)`, root first: pprof lists
 * locations leaf first, and the lines of one location are inlined calls,
 * innermost first.
 */
export function parsePprofByType(body: Uint8Array, limits: BodyLimits): ParsedSamples[] | null {
  return runAtOnce(pprofByTypeSteps(body, limits));
}

/**
 * parsePprofByType in pieces (see ParseSteps): inflating and decoding the
 * protobuf are one piece, then it pauses every ENTRIES_PER_STEP samples.
 */
export function* pprofByTypeSteps(body: Uint8Array, limits: BodyLimits): ParseSteps<ParsedSamples[] | null> {
  const gzipped = isGzip(body);
  if (!gzipped && !PROFILE_FIELD_TAGS.has(body[0])) return null;
  const profile = decodeProfile(gzipped ? gunzipCapped(body, limits.maxInflatedBytes) : body);
  if (profile === null) {
    if (gzipped) throw new BodyFormatError('gzipped body is not a pprof profile');
    return null;
  }
  return yield* profileToSamples(profile, limits);
}

/** A pulled profile's samples: its CPU samples when it has them, else its own type's. */
export function parsePprof(body: Uint8Array, limits: BodyLimits): ParsedSamples | null {
  return runAtOnce(pprofSteps(body, limits));
}

/** parsePprof in pieces (see pprofByTypeSteps). */
export function* pprofSteps(body: Uint8Array, limits: BodyLimits): ParseSteps<ParsedSamples | null> {
  const byType = yield* pprofByTypeSteps(body, limits);
  return byType === null ? null : (byType.find((samples) => samples.profileType === 'cpu') ?? byType[0]);
}

function gunzipCapped(body: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyFormatError(`gzipped body inflates past the ${maxBytes} byte cap`);
    }
    throw new BodyFormatError(`gzipped body is corrupt: ${(error as Error).message}`);
  }
}

/** A decoded Profile, or null when the bytes are not one (pprof-format is lenient: check what it read). */
function decodeProfile(bytes: Uint8Array): Profile | null {
  let profile: Profile;
  try {
    profile = Profile.decode(bytes);
  } catch {
    return null;
  }
  const strings = profile.stringTable.strings;
  const inTable = (index: unknown) => typeof index === 'number' && index < strings.length;
  const valid = strings[0] === '' && profile.sampleType.length > 0 && profile.sampleType.every((type) => inTable(type.type) && inTable(type.unit));
  return valid ? profile : null;
}

interface ChosenValue {
  type: ProfileType;
  index: number;
  /** Divides the value into samples: 1 for a count, the period for nanoseconds. */
  divisor: number;
}

function* profileToSamples(profile: Profile, limits: BodyLimits): ParseSteps<ParsedSamples[]> {
  const strings = profile.stringTable.strings;
  const text = (index: unknown) => (typeof index === 'number' ? (strings[index] ?? '') : '');
  const sampleTypes = profile.sampleType.map((type) => `${text(type.type)}/${text(type.unit)}`);
  const values = chooseValues(profile, sampleTypes, text);
  if (values.length === 0) {
    throw new BodyFormatError(`pprof profile holds no CPU or wall samples (sample types: ${sampleTypes.join(', ')})`);
  }

  const frames = new LocationFrames(profile, text);
  const builders = values.map(() => new SamplesBuilder(limits));
  const stackOf = new Map<string, string | null>();
  let stackCharacters = 0;
  let samples = 0;
  for (const sample of profile.sample) {
    if (++samples % ENTRIES_PER_STEP === 0) yield;
    const key = sample.locationId.join(',');
    let stack = stackOf.get(key);
    if (stack === undefined) {
      stack = frames.stack(sample.locationId);
      stackOf.set(key, stack);
      stackCharacters += stack?.length ?? 0;
      if (stackCharacters > MAX_STACK_CHARACTERS) {
        throw new BodyFormatError(`pprof profile expands to more than ${MAX_STACK_CHARACTERS} characters of stacks`);
      }
    }
    values.forEach((value, i) => {
      const raw = safeInteger(sample.value[value.index]);
      builders[i].add(stack, raw === null ? NaN : value.divisor === 1 ? raw : Math.round(raw / value.divisor));
    });
  }
  const durationNanos = nanoseconds(profile.durationNanos);
  const endNanos = nanoseconds(profile.timeNanos) + durationNanos;
  return values.map((value, i) => {
    builders[i].setTiming(Number(durationNanos) / 1e9, periodSeconds(profile, text));
    builders[i].setProfile(value.type, durationNanos === endNanos ? null : Number(endNanos / 1_000_000_000n));
    return builders[i].build();
  });
}

/** The value read for each profile type the profile holds, its own type first. */
function chooseValues(profile: Profile, sampleTypes: string[], text: (index: unknown) => string): ChosenValue[] {
  const own = profileType(profile, text);
  if (own === null) return [];
  const period = safeInteger(profile.period);
  const nanosecondPeriod = period !== null && period > 0 && text(profile.periodType?.unit) === 'nanoseconds' ? period : null;
  const chosen: ChosenValue[] = [];
  for (const type of own === 'cpu' ? (['cpu', 'wall'] as const) : (['wall', 'cpu'] as const)) {
    const counted = type === own ? sampleTypes.findIndex((name) => name === 'samples/count' || name === 'sample/count') : -1;
    const timed = sampleTypes.indexOf(`${type}/nanoseconds`);
    if (counted >= 0) chosen.push({ type, index: counted, divisor: 1 });
    else if (timed >= 0 && nanosecondPeriod !== null) chosen.push({ type, index: timed, divisor: nanosecondPeriod });
  }
  return chosen;
}

/** `cpu` or `wall`, from the period type (what the profiler sampled by), else from the sample types. */
function profileType(profile: Profile, text: (index: unknown) => string): ProfileType | null {
  const period = profile.periodType ? text(profile.periodType.type) : '';
  if (period === 'cpu' || period === 'wall') return period;
  const types = profile.sampleType.map((type) => text(type.type));
  if (types.includes('cpu')) return 'cpu';
  if (types.includes('wall')) return 'wall';
  return null;
}

function periodSeconds(profile: Profile, text: (index: unknown) => string): number | null {
  const period = safeInteger(profile.period);
  return period !== null && text(profile.periodType?.unit) === 'nanoseconds' ? period / 1e9 : null;
}

/** A time in nanoseconds, exact (Unix nanoseconds exceed 2^53); 0 when absent or negative. */
function nanoseconds(value: number | bigint): bigint {
  const nanos = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : 0n;
  return nanos > 0n ? nanos : 0n;
}

/** pprof numbers decode as number or bigint; only non-negative safe integers are usable. */
function safeInteger(value: unknown): number | null {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** Frame names per location, built once each; stacks are joined from them. */
class LocationFrames {
  private readonly locations = new Map<number, Location>();
  private readonly functions = new Map<number, { name: string; file: string }>();
  private readonly frames = new Map<number, string[]>();

  constructor(profile: Profile, text: (index: unknown) => string) {
    for (const location of profile.location) {
      const id = safeInteger(location.id);
      if (id !== null) this.locations.set(id, location);
    }
    for (const fn of profile.function) {
      const id = safeInteger(fn.id);
      if (id !== null) this.functions.set(id, { name: text(fn.name) || text(fn.systemName), file: text(fn.filename) });
    }
  }

  /** The folded stack of leaf-first `locationIds`, or null when one is unknown or the stack too long. */
  stack(locationIds: readonly unknown[]): string | null {
    const parts: string[] = [];
    let length = 0;
    for (let i = locationIds.length - 1; i >= 0; i -= 1) {
      const id = safeInteger(locationIds[i]);
      const frames = id === null ? undefined : this.locationFrames(id);
      if (frames === undefined) return null;
      for (const frame of frames) {
        length += frame.length + 1;
        if (length > MAX_STACK_LENGTH + 1) return null;
        parts.push(frame);
      }
    }
    return parts.length === 0 ? null : parts.join(';');
  }

  /** A location's frames root first: its lines are inlined calls listed innermost first. */
  private locationFrames(id: number): string[] | undefined {
    let frames = this.frames.get(id);
    if (frames !== undefined) return frames;
    const location = this.locations.get(id);
    if (location === undefined) return undefined;
    frames = [];
    for (let i = location.line.length - 1; i >= 0; i -= 1) {
      const line = location.line[i];
      const fn = this.functions.get(safeInteger(line.functionId) ?? -1);
      const lineNumber = safeInteger(line.line) ?? 0;
      frames.push(frameName(fn?.name ?? '', fn?.file ?? '', lineNumber));
    }
    if (frames.length === 0) frames.push(`0x${BigInt(location.address).toString(16)}`);
    this.frames.set(id, frames);
    return frames;
  }
}

/** `function (file:line)`, as the Node sampler writes its frames. */
function frameName(name: string, file: string, line: number): string {
  const fn = name === '' ? '(unknown)' : name;
  if (file === '') return foldSafeFrame(fn);
  return foldSafeFrame(line > 0 ? `${fn} (${file}:${line})` : `${fn} (${file})`);
}
