import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { foldedStacksSteps, parseFoldedStacks } from '../../../src/collector/formats/folded.js';
import { runAtOnce } from '../../../src/collector/formats/parse-steps.js';
import { BodyFormatError, MAX_STACK_DEPTH, DEFAULT_BODY_LIMITS } from '../../../src/collector/formats/parsed-samples.js';
import { fixture, foldedDump } from './folded-dump.js';

const read = (name: string) => parseFoldedStacks(readFileSync(fixture(`folded/${name}`), 'utf8'));
const NO_COUNT = 'line does not end in a sample count';

describe('parseFoldedStacks', () => {
  test('reads the nylas stacksampler output with its elapsed and granularity lines', () => {
    const parsed = read('stacksampler.txt');
    assert.equal(foldedDump(parsed.stacks), '<module>(__main__);idle(app) 12\n<module>(__main__);serve(app);handle(app) 208');
    assert.equal(parsed.elapsed, 2.83);
    assert.equal(parsed.granularity, 0.005);
  });

  test('reads CRLF line ends and ignores blank lines', () => {
    const parsed = read('crlf.txt');
    assert.equal(foldedDump(parsed.stacks), '<module>(__main__);idle(app) 7\n<module>(__main__);serve(app) 5');
    assert.equal(parsed.elapsed, 2.83);
    assert.equal(parsed.skipped, 0);
  });

  test('takes the count from the last field, so frames may hold spaces', () => {
    assert.equal(
      foldedDump(read('spaces-in-frames.txt').stacks),
      'main(app) 1\nmain(app);render template(jinja2 env) 30\nmain(app);wait for lock (threading) 4',
    );
  });

  test('skips lines whose count is missing, negative or decimal, and adds repeated stacks', () => {
    const parsed = read('invalid-lines.txt');
    assert.equal(foldedDump(parsed.stacks), 'main(app);a(app) 15');
    assert.equal(parsed.entries, 2);
    assert.equal(parsed.skipped, 3);
    assert.deepEqual(parsed.skippedReasons, { [NO_COUNT]: 3 });
  });

  test('reads an empty body as zero stacks', () => {
    assert.equal(parseFoldedStacks('\n\n').stacks.size, 0);
  });

  test('refuses text in which no line is a stack, such as an HTML error page', () => {
    assert.throws(() => read('not-folded.html'), BodyFormatError);
  });

  test('reads a 1 MB line of white space in one pass, skipping it as a bad entry', () => {
    // The old /\s+\S+$/ search took some 33 s for 200 KB of this (quadratic); now it is one scan from the end.
    const spaces = ' '.repeat(2 ** 20);
    const parsed = parseFoldedStacks(`a${spaces}b x\n${spaces}\n\t${spaces}\t\nok(app) 1\na${spaces}b 2\n`);
    assert.equal(foldedDump(parsed.stacks), 'ok(app) 1');
    assert.deepEqual(parsed.skippedReasons, { [NO_COUNT]: 1, 'longer than 524288 characters': 1 });
  });

  test('refuses the whole body when a frame holds a control character or a bidi override', () => {
    for (const [name, character] of [['control-characters.txt', 'U+001B'], ['bidi-override.txt', 'U+202E']]) {
      assert.throws(
        () => read(name),
        (error: Error) => error instanceof BodyFormatError && error.message === `entry 2: a frame holds the unprintable character ${character}; the body is refused`,
      );
    }
  });

  test('keeps frames in any script, and U+FFFD a sampler put for a name it could not decode', () => {
    assert.equal(foldedDump(read('unicode-frames.txt').stacks), 'main(app);запрос(app) 2\nmain(app);\ufffd(app) 4');
  });

  test('skips counts above 2^32, and entries that would take one stack above it, so sums stay exact', () => {
    const parsed = read('counts-beyond-2-32.txt');
    assert.equal(foldedDump(parsed.stacks), 'big 4294967296\nsmall 2');
    assert.deepEqual(parsed.skippedReasons, {
      'more than 4294967296 samples of one stack': 1,
      'count is not a whole number from 0 to 4294967296': 2,
    });
  });

  test(`keeps a stack ${MAX_STACK_DEPTH} frames deep and skips a deeper one, saying why`, () => {
    const stack = (depth: number) => Array.from({ length: depth }, (_, i) => `f${i}`).join(';');
    const parsed = parseFoldedStacks(`${stack(MAX_STACK_DEPTH)} 3\n${stack(MAX_STACK_DEPTH + 1)} 4\n`);
    assert.deepEqual([...parsed.stacks.values()], [3]);
    assert.equal(parsed.skipped, 1);
    assert.deepEqual(parsed.skippedReasons, { 'deeper than 10000 frames': 1 });
  });

  test('refuses a body with more distinct stacks than the limit, however the lines repeat', () => {
    const limits = { ...DEFAULT_BODY_LIMITS, maxStacks: 3 };
    assert.equal(parseFoldedStacks('a 1\nb 1\nc 1\na 5\nd 0\n', limits).stacks.size, 3);
    assert.throws(
      () => parseFoldedStacks('a 1\nb 1\nc 1\nd 1\n', limits),
      (error: Error) => error instanceof BodyFormatError && /^more than 3 distinct stacks in one body \(the \[collector\] max_stacks limit\)/.test(error.message),
    );
  });

  test('reads a text given in pieces as it reads it whole, wherever the pieces cut it, empty ones included', () => {
    const text = 'elapsed 2\r\nmain(app);запрос(app) 2\r\n\nmain(app);😀(app) 3\nmain(app);запрос(app) 4\nbad line';
    const whole = parseFoldedStacks(text);
    assert.equal(foldedDump(whole.stacks), 'main(app);запрос(app) 6\nmain(app);😀(app) 3');
    for (let first = 0; first <= text.length; first++) {
      for (let second = first; second <= text.length; second += 7) {
        const pieces = [text.slice(0, first), '', text.slice(first, second), text.slice(second), ''];
        assert.deepEqual(runAtOnce(foldedStacksSteps(pieces)), whole, `cut at ${first} and ${second}`);
      }
    }
  });
});
