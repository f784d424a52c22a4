import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { liveprofilerJsonSteps, parseLiveprofilerJson, WHOLE_PARSE_BYTES } from '../../../src/collector/formats/liveprofiler-json.js';
import { BodyFormatError, type ParsedSamples } from '../../../src/collector/formats/parsed-samples.js';
import { ENTRIES_PER_STEP } from '../../../src/collector/formats/parse-steps.js';
import { fixture, foldedDump } from './folded-dump.js';

/** The parse of `text` and how many times it paused. */
function parseCountingPauses(text: string): { parsed: ParsedSamples; pauses: number } {
  const steps = liveprofilerJsonSteps(Buffer.from(text));
  for (let pauses = 0; ; pauses++) {
    const step = steps.next();
    if (step.done) return { parsed: step.value, pauses };
  }
}

/** A body of `entries` distinct stacks, each frame padded to `frameChars`. */
function bodyOf(entries: number, frameChars: number): string {
  const stacks = Array.from({ length: entries }, (_, i) => ({ frame: `main;f${i};`.padEnd(frameChars, 'x'), count: 1 + (i % 3) }));
  return JSON.stringify({ elapsed: 1, stacks });
}

const read = (name: string) => parseLiveprofilerJson(readFileSync(fixture(`liveprofiler-json/${name}`), 'utf8'));

describe('parseLiveprofilerJson', () => {
  test('adds up a frame repeated in one payload, as the 2016 tool expects', () => {
    const parsed = read('2016-test-payload.json');
    assert.equal(
      foldedDump(parsed.stacks),
      [
        'test_sampler(test_sampler);testing_function(test_sampler) 150',
        'test_sampler(test_sampler);testing_function2(test_sampler) 128',
        'test_sampler(test_sampler);testing_function3(test_sampler) 126',
      ].join('\n'),
    );
    assert.equal(parsed.entries, 4);
    assert.equal(parsed.skipped, 0);
    assert.equal(parsed.elapsed, 1.2000219821929932);
    assert.equal(parsed.granularity, 0.001);
  });

  test('reads {} from a sampler that never started as zero stacks', () => {
    const parsed = read('unstarted.json');
    assert.equal(parsed.stacks.size, 0);
    assert.equal(parsed.entries, 0);
    assert.equal(parsed.elapsed, null);
  });

  test('skips entries without a non-empty frame or a whole non-negative count, keeping the good ones', () => {
    const parsed = read('bad-entries.json');
    assert.equal(foldedDump(parsed.stacks), '<module>(__main__);serve(app) 10');
    assert.equal(parsed.entries, 2, 'the good entry and the zero count');
    assert.equal(parsed.skipped, 9);
    assert.deepEqual(parsed.skippedReasons, {
      'frame is not a non-empty string': 5,
      'count is not a whole number from 0 to 4294967296': 4,
    });
  });

  test('refuses the whole body when a frame holds a control character or a lone surrogate, even escaped', () => {
    for (const [name, character] of [['control-characters.json', 'entry 2: a frame holds the unprintable character U+0000'], ['c1-control.json', 'entry 1: a frame holds the unprintable character U+0085'], ['lone-surrogate.json', 'entry 1: a frame holds the unprintable character U+D800']]) {
      assert.throws(() => read(name), (error: Error) => error instanceof BodyFormatError && error.message === `${character}; the body is refused`, name);
    }
  });

  test('skips counts above 2^32, so sums of many collections stay exact integers', () => {
    const parsed = read('counts-beyond-2-32.json');
    assert.equal(foldedDump(parsed.stacks), 'big 4294967296\nsmall 2');
    assert.deepEqual(parsed.skippedReasons, { 'count is not a whole number from 0 to 4294967296': 2 });
  });

  test('skips absurdly long stacks', () => {
    const parsed = parseLiveprofilerJson(JSON.stringify({ stacks: [{ frame: 'long'.repeat(200_000), count: 1 }, { frame: 'ok', count: 2 }] }));
    assert.equal(foldedDump(parsed.stacks), 'ok 2');
    assert.equal(parsed.skipped, 1);
    assert.deepEqual(parsed.skippedReasons, { 'longer than 524288 characters': 1 });
  });

  for (const [what, body, message] of [
    ['invalid JSON', '{"stacks": [', 'body is not valid JSON'],
    ['a JSON array', '[1, 2]', 'JSON body is not an object'],
    ['stacks that are not a list', '{"stacks": {"a": 1}}', 'JSON "stacks" is not an array'],
  ]) {
    test(`refuses ${what}`, () => {
      assert.throws(() => parseLiveprofilerJson(body), (error: Error) => error instanceof BodyFormatError && error.message === message);
    });
  }

  test('a short body, parsed whole, still goes over its entries a step at a time', () => {
    const text = JSON.stringify({ stacks: [...new Array<number>(2 * ENTRIES_PER_STEP).fill(0), { frame: 'main', count: 2 }] });
    assert.ok(Buffer.byteLength(text) <= WHOLE_PARSE_BYTES);
    const { parsed, pauses } = parseCountingPauses(text);
    assert.equal(pauses, 2);
    assert.equal(parsed.skipped, 2 * ENTRIES_PER_STEP);
    assert.equal(parsed.stacks.get('main'), 2);
  });

  test('a long body is read in pieces, and gives what its entries say', () => {
    const long = bodyOf(3 * ENTRIES_PER_STEP, 60);
    assert.ok(Buffer.byteLength(long) > WHOLE_PARSE_BYTES);
    const { parsed, pauses } = parseCountingPauses(long);
    assert.ok(pauses >= 3, `${pauses} pauses`);
    const { stacks } = JSON.parse(long) as { stacks: Array<{ frame: string; count: number }> };
    assert.deepEqual([...parsed.stacks], stacks.map(({ frame, count }) => [frame, count]));
    assert.equal(parsed.elapsed, 1);
  });

  test('a long body with an empty element is refused, as a short one is', () => {
    for (const text of [bodyOf(10, 10), bodyOf(ENTRIES_PER_STEP, 120)]) {
      const broken = text.replace('},{', '},,{');
      assert.throws(() => parseLiveprofilerJson(broken), (error: Error) => error instanceof BodyFormatError && error.message === 'body is not valid JSON');
    }
  });
});
