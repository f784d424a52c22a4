import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import type { StackCounts } from './stack-counts.js';

/**
 * The sampling interval written when nothing better is known: the store
 * keeps counts, not the samplers' granularity, and 10 ms is what the
 * example config and the Python sampler's usual setting use.
 */
export const DEFAULT_PERIOD_SECONDS = 0.01;

export interface PprofOptions {
  /** Start of the profiled range, Unix seconds. */
  from: number;
  /** Length of the profiled range in seconds. */
  durationSeconds: number;
  /** Seconds between samples (the samplers' granularity). */
  periodSeconds?: number;
}

/**
 * A gzipped pprof profile (what `go tool pprof` reads) of `stacks`: sample
 * type samples/count, one function and one location per distinct frame
 * name, one sample per distinct stack, leaf first as pprof orders them.
 */
export function stackCountsToPprof(stacks: StackCounts, options: PprofOptions): Buffer {
  const strings = new StringTable();
  const functions: PprofFunction[] = [];
  const locations: Location[] = [];
  const locationIds = new Map<string, number>();
  const locationOf = (frame: string): number => {
    let id = locationIds.get(frame);
    if (id === undefined) {
      id = locationIds.size + 1;
      locationIds.set(frame, id);
      const name = strings.dedup(frame);
      functions.push(new PprofFunction({ id, name, systemName: name }));
      locations.push(new Location({ id, line: [{ functionId: id }] }));
    }
    return id;
  };
  const samples: Sample[] = [];
  for (const [stack, count] of stacks) {
    if (count === 0) continue;
    samples.push(new Sample({ locationId: stack.split(';').map(locationOf).reverse(), value: [count] }));
  }
  const periodNanos = Math.round((options.periodSeconds ?? DEFAULT_PERIOD_SECONDS) * 1e9);
  const profile = new Profile({
    sampleType: [new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') })],
    periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    period: periodNanos,
    timeNanos: BigInt(options.from) * 1_000_000_000n,
    durationNanos: BigInt(Math.round(options.durationSeconds)) * 1_000_000_000n,
    sample: samples,
    location: locations,
    function: functions,
    stringTable: strings,
  });
  return gzipSync(profile.encode());
}
