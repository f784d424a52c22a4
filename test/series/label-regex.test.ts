import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileLabelRegex } from '../../src/series/label-regex.js';

const compile = (pattern: string) => compileLabelRegex(pattern, (message) => new Error(message));

describe('compileLabelRegex', () => {
  test("matches whole values exactly as JavaScript's RegExp does, on the supported syntax", () => {
    const patterns = [
      'eu.*', 'eu-(west|east)-[0-9]+', '(?:a|b)*c', 'a?b+c*', '[^-]+', '\\d+', '\\w+\\.\\w+', '', 'a|', '(|x)y',
      '[a-c-]x', '\\.', 'x*', '(ab)+', 'a.c', '[\\d_]+', '\\S\\s\\S', 'h(é|e)llo', '日本.',
    ];
    const values = ['', 'eu', 'eu-west-1', 'eu-east-', 'us-1', 'abababc', 'c', 'bbc', 'abc', 'a', 'x', 'y', 'xy', 'a-x', '-x', '.', 'xxx',
      'abab', 'a\nc', '12_3', 'a b', 'héllo', 'hello', '日本語', 'a.b', '9'];
    for (const pattern of patterns) {
      const ours = compile(pattern);
      const reference = new RegExp(`^(?:${pattern})$`, 'u');
      for (const value of values) assert.equal(ours.matches(value), reference.test(value), `${JSON.stringify(pattern)} on ${JSON.stringify(value)}`);
    }
  });

  test('a leading ^ and a trailing $ change nothing; an escaped $ is a dollar', () => {
    assert.equal(compile('^eu$').matches('eu'), true);
    assert.equal(compile('eu\\$').matches('eu$'), true);
  });

  test('patterns that backtrack exponentially in RegExp run in linear time here', () => {
    const value = `${'a'.repeat(20000)}!`;
    for (const pattern of ['(a+)+b', '(a|a)*b', '(a*)*b', '(.*a){12}'.replace('{12}', '(.*a)'.repeat(11))]) {
      assert.equal(compile(pattern).matches(value), false, pattern);
    }
  });

  test('refuses what it does not support, or cannot read, with the reason', () => {
    const refusals: [string, RegExp][] = [
      ['a{2}', /"\{" is not supported/],
      ['(?i)a', /only \(\?:…\) groups/],
      ['(a', /missing "\)"/],
      ['a)', /unbalanced "\)"/],
      ['[a-', /missing "\]"/],
      ['[z-a]', /backwards/],
      ['*a', /follows nothing/],
      ['a**', /repeats a repetition/],
      ['a\\', /lone "\\"/],
      ['a^b', /"\^" is not supported/],
    ];
    for (const [pattern, message] of refusals) assert.throws(() => compile(pattern), message, pattern);
  });
});
