import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { Profile, StringTable } from 'pprof-format';
import { parseSamplesBody } from '../../../src/collector/formats/parse-samples-body.js';
import { BodyFormatError, DEFAULT_BODY_LIMITS } from '../../../src/collector/formats/parsed-samples.js';
import { parsePprof } from '../../../src/collector/formats/pprof.js';
import { totalSamples } from '../../../src/profile/stack-counts.js';
import { prng } from '../../store/store-fixtures.js';
import { fixture, foldedDump } from './folded-dump.js';

const CAP = { ...DEFAULT_BODY_LIMITS, maxInflatedBytes: 8 * 1024 * 1024 };
const read = (name: string) => readFileSync(fixture(`pprof/${name}`));
const parse = (name: string) => parsePprof(read(name), CAP)!;

/** The stacks' total samples whose leaf frame's function is `name`. */
function leafSamples(stacks: Map<string, number>, name: string): number {
  let total = 0;
  for (const [stack, count] of stacks) if (stack.slice(stack.lastIndexOf(';') + 1).startsWith(`${name} (`)) total += count;
  return total;
}

describe('parsePprof on real producers', () => {
  test("Go's runtime/pprof CPU profile: cpu samples, root first, as function (file:line)", () => {
    const parsed = parse('go-cpu.pb.gz');
    assert.equal(parsed.profileType, 'cpu');
    assert.equal(parsed.skipped, 0);
    assert.equal(parsed.granularity, 0.01);
    assert.ok(Number.isSafeInteger(parsed.profiledUntil) && parsed.profiledUntil! > 1.7e9);
    const total = totalSamples(parsed.stacks);
    assert.ok(total >= 50 && total <= 120, `a second at 100 Hz, got ${total}`);
    for (const [stack, count] of parsed.stacks) {
      assert.ok(Number.isSafeInteger(count) && count > 0);
      assert.match(stack, /^runtime\.main \(\S*runtime\/proc\.go:\d+\);main\.main \(\S*main\.go:\d+\)/);
    }
    assert.ok(leafSamples(parsed.stacks, 'main.spinGoFixture') >= total * 0.8);
  });

  test('gzipped and raw bytes of one profile read the same', () => {
    for (const name of ['go-cpu', 'node-datadog-wall']) {
      const gzipped = parse(`${name}.pb.gz`);
      const raw = parse(`${name}.pb`);
      assert.equal(foldedDump(raw.stacks), foldedDump(gzipped.stacks));
      assert.deepEqual({ ...raw, stacks: null }, { ...gzipped, stacks: null });
    }
  });

  test("@datadog/pprof's time profile is wall time, counted in samples", () => {
    const parsed = parse('node-datadog-wall.pb.gz');
    assert.equal(parsed.profileType, 'wall');
    const total = totalSamples(parsed.stacks);
    assert.ok(leafSamples(parsed.stacks, 'spinNodeFixture') >= total * 0.6, foldedDump(parsed.stacks));
    assert.ok([...parsed.stacks.keys()].some((stack) => /datadogWallProfile \(\S*generate\.ts:\d+\);spinNodeFixture \(/.test(stack)));
  });

  test('a heap profile holds no CPU samples: refused, naming its sample types', () => {
    assert.throws(() => parse('node-datadog-heap.pb.gz'), (error: Error) => {
      assert.ok(error instanceof BodyFormatError);
      assert.match(error.message, /no CPU or wall samples \(sample types: inuse_objects\/count, inuse_space\/bytes\)/);
      return true;
    });
  });

  test('parseSamplesBody tells pprof from the bytes, gzipped or raw', () => {
    assert.equal(parseSamplesBody(read('go-cpu.pb.gz'), CAP).profileType, 'cpu');
    assert.equal(parseSamplesBody(read('go-cpu.pb'), CAP).profileType, 'cpu');
    assert.equal(parseSamplesBody(Buffer.from('\nmain;work 3\n'), CAP).profileType, null);
  });
});

describe('parsePprof on built profiles', () => {
  /** A profile with functions a, b, c; location 1 is b inlined into a (lines innermost first), 2 is c. */
  function built(options: { sampleType?: [string, string][]; period?: number; periodType?: [string, string]; samples: { locations: number[]; values: (number | bigint)[] }[] }) {
    const strings = new StringTable();
    const id = (text: string) => strings.dedup(text);
    const types = options.sampleType ?? [['samples', 'count'], ['cpu', 'nanoseconds']];
    const periodType = options.periodType ?? ['cpu', 'nanoseconds'];
    const profile = new Profile({
      sampleType: types.map(([type, unit]) => ({ type: id(type), unit: id(unit) })),
      periodType: { type: id(periodType[0]), unit: id(periodType[1]) },
      period: options.period ?? 10_000_000,
      function: [
        { id: 1, name: id('a'), filename: id('a.go') },
        { id: 2, name: id('b;evil\nname'), filename: id('b.go') },
        { id: 3, name: id('c'), filename: id('') },
      ],
      location: [
        { id: 1, line: [{ functionId: 2, line: 20 }, { functionId: 1, line: 10 }] },
        { id: 2, line: [{ functionId: 3, line: 0 }] },
        { id: 3, address: 0xbeef, line: [] },
      ],
      sample: options.samples.map((sample) => ({ locationId: sample.locations, value: sample.values })),
      stringTable: strings,
    });
    return profile.encode();
  }

  test('a location with several lines is inlined calls; frames stay fold-safe; no lines gives the address', () => {
    const parsed = parsePprof(built({ samples: [{ locations: [2, 1], values: [3, 30_000_000] }, { locations: [3], values: [1, 1] }] }), CAP)!;
    assert.equal(foldedDump(parsed.stacks), '0xbeef 1\na (a.go:10);b,evil name (b.go:20);c 3');
  });

  test('bad samples are skipped and counted: unknown location, no location, value beyond 2^53', () => {
    const parsed = parsePprof(
      built({
        samples: [
          { locations: [2], values: [4, 0] },
          { locations: [9], values: [1, 0] },
          { locations: [], values: [1, 0] },
          { locations: [2], values: [2n ** 60n, 0] },
        ],
      }),
      CAP,
    )!;
    assert.equal(foldedDump(parsed.stacks), 'c 4');
    assert.equal(parsed.entries, 1);
    assert.equal(parsed.skipped, 3);
  });

  test('without a samples/count type, cpu nanoseconds are divided by the period', () => {
    const parsed = parsePprof(
      built({ sampleType: [['cpu', 'nanoseconds']], period: 10_000_000, samples: [{ locations: [2], values: [70_000_000] }] }),
      CAP,
    )!;
    assert.equal(foldedDump(parsed.stacks), 'c 7');
  });

  test('never inflates past the cap', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    assert.throws(() => parsePprof(bomb, { ...CAP, maxInflatedBytes: 1024 * 1024 }), /inflates past the 1048576 byte cap/);
    assert.throws(() => parsePprof(Buffer.from([0x1f, 0x8b, 1, 2, 3]), CAP), /gzipped body is corrupt/);
    assert.throws(() => parsePprof(gzipSync('just text'), CAP), /gzipped body is not a pprof profile/);
  });

  test('bytes that are not a profile are left to the text formats', () => {
    assert.equal(parsePprof(Buffer.from('main;work 3\n'), CAP), null);
    assert.equal(parsePprof(Buffer.from('\n\nmain;work 3\n'), CAP), null);
    assert.equal(parsePprof(Buffer.from('HTTP;handler 3\nPage;render 2\n'), CAP), null);
  });
});

describe('parseSamplesBody on damaged pprof', () => {
  test('flipped and truncated bytes, raw or gzipped, parse or fail with a BodyFormatError, never anything else', () => {
    const random = prng(10);
    const original = read('go-cpu.pb');
    let failures = 0;
    for (let round = 0; round < 400; round += 1) {
      const damaged = Buffer.from(original.subarray(0, round % 4 === 0 ? Math.floor(random() * original.length) : original.length));
      for (let flips = 1 + Math.floor(random() * 4); flips > 0 && damaged.length > 0; flips -= 1) {
        damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      }
      for (const body of [damaged, gzipSync(damaged)]) {
        try {
          const parsed = parseSamplesBody(body, CAP);
          for (const count of parsed.stacks.values()) assert.ok(Number.isSafeInteger(count) && count > 0);
        } catch (error) {
          assert.ok(error instanceof BodyFormatError, String(error));
          failures += 1;
        }
      }
    }
    assert.ok(failures > 0, 'some damage is detected');
  });
});
