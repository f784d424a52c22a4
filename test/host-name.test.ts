import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostNameProblem } from '../src/host-name.js';

test('a host name is printable text of at most 200 characters, not _all and not a dot segment', () => {
  for (const name of ['web1', 'http://h:1/x?a=***', '../x', '<script>', 'ünïcödé 主机', 'שרת', 'x'.repeat(200), 'a\ufffdb']) {
    assert.equal(hostNameProblem(name), null, name);
  }
  for (const [name, problem] of [
    ['', 'is empty'],
    ['x'.repeat(201), 'is longer than 200 characters'],
    ['_all', 'is reserved for all hosts merged'],
    ['.', 'cannot be a URL path segment'],
    ['..', 'cannot be a URL path segment'],
    ['a\u0000', 'holds the unprintable character U+0000'],
    ['a\u009b', 'holds the unprintable character U+009B'],
    ['\u2067web', 'holds the unprintable character U+2067'],
    ['half\udc00', 'holds the unprintable character U+DC00'],
    [' web', 'starts or ends with white space'],
  ]) {
    assert.equal(hostNameProblem(name), problem, JSON.stringify(name));
  }
});
