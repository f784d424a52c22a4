import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { answerForRange, withMetaTail } from '../../src/visualizer/meta-tail.js';
import { gzipAnswer, jsonAnswer, textAnswer, type ViewAnswer } from '../../src/visualizer/view-answer.js';

/** A tree of `names` under the root, with `meta` last, as the query views write it. */
function answerJson(names: readonly string[], meta: Record<string, unknown> | null): string {
  const tree = { name: 'root', value: names.length, children: names.map((name) => ({ name, value: 1 })) };
  return JSON.stringify(meta === null ? tree : { ...tree, meta });
}

const NAMES = Array.from({ length: 300 }, (_, i) => `frame-${i} (/srv/app/module-${i % 17}.js:${i})`);
const META = { host: 'web1', from: 1_714_564_500, until: 1_714_564_800, threshold: 0, maxNodes: 8000, nodes: 301 };

function text(answer: ViewAnswer): string {
  return (answer.contentEncoding === 'gzip' ? gunzipSync(answer.body) : Buffer.from(answer.body)).toString();
}

describe('withMetaTail and answerForRange', () => {
  for (const gzip of [true, false]) {
    test(`give an answer again for another range, only its meta's from and until changed (${gzip ? 'gzip' : 'identity'})`, () => {
      const kept = withMetaTail(jsonAnswer(answerJson(NAMES, META)), gzip);
      assert.equal(kept.contentEncoding, gzip ? 'gzip' : undefined);
      assert.equal(text(kept), answerJson(NAMES, META));
      assert.deepEqual(kept.metaTail?.meta, META);
      for (const range of [{ from: META.from + 7, until: META.until + 7 }, { from: 0, until: 99_999_999_999 }, { from: 5, until: 5 }]) {
        const again = answerForRange(kept, range);
        // gunzip checks the trailer: the CRC and length over head and new tail.
        assert.equal(text(again), answerJson(NAMES, { ...META, ...range }));
        assert.equal(again.metaTail, undefined, 'what is sent carries no tail');
        assert.equal(again.contentType, kept.contentType);
      }
      assert.equal(text(answerForRange(kept, { from: META.from, until: META.until })), answerJson(NAMES, META));
    });
  }

  test('a tail longer than one stored block is written in several', () => {
    const meta = { ...META, path: 'main;'.repeat(30_000) };
    const kept = withMetaTail(jsonAnswer(answerJson(NAMES, meta)), true);
    assert.ok(kept.metaTail !== undefined);
    assert.equal(text(answerForRange(kept, { from: 1, until: 2 })), answerJson(NAMES, { ...meta, from: 1, until: 2 }));
  });

  test('an answer that names no range in a last meta field has no tail, and is gzipped as gzipAnswer gzips it', () => {
    const trap = [...NAMES, 'x,"meta":{"from":1,"until":2}}'];
    const cases: Array<[string, ViewAnswer]> = [
      ['no meta, a frame name that looks like one', jsonAnswer(answerJson(trap, null))],
      ['meta without a range', jsonAnswer(answerJson(NAMES, { host: 'web1' }))],
      ['meta not last', jsonAnswer(JSON.stringify({ meta: META, children: NAMES }))],
      ['meta written with spaces', jsonAnswer(JSON.stringify({ names: NAMES, meta: META }, null, 1))],
      ['not JSON', textAnswer('text/plain; charset=utf-8', `${NAMES.join('\n')},"meta":{"from":1,"until":2}}`)],
    ];
    for (const [name, answer] of cases) {
      const gzipped = withMetaTail(answer, true);
      assert.equal(gzipped.metaTail, undefined, name);
      assert.deepEqual(gzipped, gzipAnswer(answer), name);
      assert.deepEqual(withMetaTail(answer, false), answer, name);
      assert.throws(() => answerForRange(gzipped, { from: 1, until: 2 }), /no meta tail/, name);
    }
  });

  test('a small answer is not gzipped but keeps its tail', () => {
    const kept = withMetaTail(jsonAnswer(answerJson(['main'], META)), true);
    assert.equal(kept.contentEncoding, undefined);
    assert.equal(text(answerForRange(kept, { from: 3, until: 4 })), answerJson(['main'], { ...META, from: 3, until: 4 }));
  });
});
