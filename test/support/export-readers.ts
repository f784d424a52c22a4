import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import type { SpeedscopeFile } from '../../src/profile/stack-counts-to-speedscope.js';
import { addSamples, type StackCounts } from '../../src/profile/stack-counts.js';
import { validateJson } from './json-schema-subset.js';

const require = createRequire(import.meta.url);

/** The file-format schema the installed speedscope package ships. */
export function speedscopeSchema(): Record<string, unknown> {
  const packageDir = dirname(require.resolve('speedscope/package.json'));
  return JSON.parse(readFileSync(join(packageDir, 'dist/release/file-format-schema.json'), 'utf8')) as Record<string, unknown>;
}

/** Validates a speedscope file against that schema (throwing with every error) and reads its stacks back. */
export function readSpeedscope(document: unknown): StackCounts {
  const errors = validateJson(document, speedscopeSchema());
  if (errors.length > 0) throw new Error(`not a valid speedscope file:\n${errors.join('\n')}`);
  const file = document as SpeedscopeFile;
  const stacks: StackCounts = new Map();
  for (const profile of file.profiles) {
    profile.samples.forEach((sample, index) => {
      addSamples(stacks, sample.map((frame) => file.shared.frames[frame].name).join(';'), profile.weights[index]);
    });
  }
  return stacks;
}

/** Decodes a gzipped pprof profile with pprof-format: its stacks (root first) and header. */
export function readPprof(gzipped: Uint8Array): {
  stacks: StackCounts;
  sampleType: string[];
  period: number;
  periodType: string[];
  /** When the profile starts and how long it covers, in Unix seconds. */
  timeSeconds: number;
  durationSeconds: number;
} {
  const profile = Profile.decode(gunzipSync(gzipped));
  const text = (index: number | bigint) => profile.stringTable.strings[Number(index)];
  const functions = new Map(profile.function.map((fn) => [Number(fn.id), text(fn.name)]));
  const locations = new Map(profile.location.map((location) => [Number(location.id), functions.get(Number(location.line[0].functionId))!]));
  const stacks: StackCounts = new Map();
  for (const sample of profile.sample) {
    const frames = sample.locationId.map((id) => locations.get(Number(id))!).reverse();
    addSamples(stacks, frames.join(';'), Number(sample.value[0]));
  }
  const [sampleType] = profile.sampleType;
  return {
    stacks,
    sampleType: [text(sampleType.type), text(sampleType.unit)],
    period: Number(profile.period),
    periodType: profile.periodType ? [text(profile.periodType.type), text(profile.periodType.unit)] : [],
    timeSeconds: Number(profile.timeNanos) / 1e9,
    durationSeconds: Number(profile.durationNanos) / 1e9,
  };
}
