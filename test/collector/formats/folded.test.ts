import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseFoldedStacks } from '../../../src/collector/formats/folded.js';
import { BodyFormatError } from '../../../src/collector/formats/parsed-samples.js';
import { fixture, foldedDump } from './folded-dump.js';

const read = (name: string) => parseFoldedStacks(readFileSync(fixture(`folded/${name}`), 'utf8'));

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
  });

  test('reads an empty body as zero stacks', () => {
    assert.equal(parseFoldedStacks('\n\n').stacks.size, 0);
  });

  test('refuses text in which no line is a stack, such as an HTML error page', () => {
    assert.throws(() => read('not-folded.html'), BodyFormatError);
  });
});
