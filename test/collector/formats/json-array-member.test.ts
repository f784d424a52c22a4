import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLiveprofilerJson } from '../../../src/collector/formats/liveprofiler-json.js';
import { BodyFormatError, DEFAULT_BODY_LIMITS, SamplesBuilder, type ParsedSamples } from '../../../src/collector/formats/parsed-samples.js';
import { ENTRIES_PER_STEP } from '../../../src/collector/formats/parse-steps.js';
import { prng } from '../../support/seeded-random.js';

/** The naive reading: JSON.parse of the whole text, then every entry, which the pieces must match exactly. */
function naiveJson(text: string): ParsedSamples {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BodyFormatError('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BodyFormatError('JSON body is not an object');
  const { stacks, elapsed, granularity } = body as Record<string, unknown>;
  if (stacks !== undefined && !Array.isArray(stacks)) throw new BodyFormatError('JSON "stacks" is not an array');
  const builder = new SamplesBuilder({ ...DEFAULT_BODY_LIMITS, maxStacks: Infinity });
  builder.setTiming(elapsed, granularity);
  for (const entry of stacks ?? []) {
    const { frame, count } = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    builder.add(frame, count);
  }
  return builder.build();
}

/** The outcome of a reading: what it parsed, or the message it refused with. */
function outcome(read: () => ParsedSamples): unknown {
  try {
    const parsed = read();
    return { ...parsed, stacks: [...parsed.stacks] };
  } catch (error) {
    assert.ok(error instanceof BodyFormatError, String(error));
    return error.message;
  }
}

/** Frames holding what a scan could trip on: quotes, backslashes, brackets, braces, commas, colons, escapes. */
const TRICKY = ['a', ';', '"', '\\', '\\\\', '[', ']', '{', '}', ',', ':', ' ', 'é', '\u2028', 'stacks', '"stacks":['];

/** A random liveprofiler body, written with random spacing and extra members, sometimes damaged. */
function randomBody(seed: number): string {
  const random = prng(seed);
  const below = (n: number) => Math.floor(random() * n);
  const space = () => [' ', '', '\n', '\t ', ''][below(5)];
  const frame = () => Array.from({ length: 1 + below(4) }, () => TRICKY[below(TRICKY.length)]).join('');
  const entry = () => {
    const roll = below(20);
    if (roll === 0) return '[1,{"frame":"x"}]';
    if (roll === 1) return 'null';
    const count = roll === 2 ? '"3"' : String(below(5));
    return `{${space()}"frame":${space()}${JSON.stringify(frame())},"count":${count}${below(4) === 0 ? ',"extra":{"a":[1,"]"]}' : ''}}`;
  };
  const entries = Array.from({ length: below(3) === 0 ? below(4) : ENTRIES_PER_STEP + below(2 * ENTRIES_PER_STEP) }, entry);
  const members = [`"stacks":${space()}[${space()}${entries.join(`,${space()}`)}${space()}]`, `"elapsed":${below(100) / 10}`, `"granularity":0.01`];
  if (below(4) === 0) members.push(`"other":{"stacks":[1,2],"x":"]}"}`);
  if (below(8) === 0) members.push(`"st\\u0061cks":[{"frame":"escaped","count":1}]`);
  if (below(8) === 0) members.push(`"stacks":[{"frame":"second","count":2}]`);
  members.sort(() => random() - 0.5);
  let text = `${space()}{${space()}${members.join(`,${space()}`)}${space()}}${space()}`;
  // Damage: drop, double or insert one structural character somewhere.
  if (below(3) === 0) {
    const at = below(text.length);
    const damage = below(3);
    text = damage === 0 ? text.slice(0, at) + text.slice(at + 1) : damage === 1 ? text.slice(0, at) + text[at] + text.slice(at) : text.slice(0, at) + '",[]{}:'[below(7)] + text.slice(at);
  }
  return text;
}

describe('liveprofiler JSON read in pieces', () => {
  test('reads exactly what JSON.parse of the whole body reads, or refuses it with the same reason', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = randomBody(seed);
      assert.deepEqual(outcome(() => parseLiveprofilerJson(text, { ...DEFAULT_BODY_LIMITS, maxStacks: Infinity })), outcome(() => naiveJson(text)), `seed ${seed}`);
    }
  });

  for (const [what, text] of [
    ['a trailing comma', '{"stacks":[{"frame":"a","count":1},]}'],
    ['an empty element', '{"stacks":[{"frame":"a","count":1},,{"frame":"b","count":1}]}'],
    ['a blank array of one comma', '{"stacks":[ , ]}'],
    ['text after the object', '{"stacks":[]} x'],
    ['an unterminated string', '{"stacks":[{"frame":"a]}'],
  ]) {
    test(`refuses ${what} as JSON.parse does`, () => {
      assert.equal(outcome(() => parseLiveprofilerJson(text)), 'body is not valid JSON');
    });
  }
});
