import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallSite } from '../../src/sampler/frame-label.js';
import { rememberedLabels } from '../../src/sampler/remembered-labels.js';

function site(functionName: string, lineNumber = 0, url = 'file:///srv/a.js'): CallSite {
  return { functionName, url, lineNumber, columnNumber: 4 };
}

describe('rememberedLabels', () => {
  it('labels each call site once and then answers from memory', () => {
    const asked: string[] = [];
    const label = rememberedLabels((s) => {
      asked.push(s.functionName);
      return `${s.functionName}!`;
    }, 10);
    assert.deepEqual([label(site('a')), label(site('b')), label(site('a')), label(site('b'))], ['a!', 'b!', 'a!', 'b!']);
    assert.deepEqual(asked, ['a', 'b']);
  });

  it('tells apart sites that differ only in line, column or file', () => {
    const label = rememberedLabels((s) => `${s.url}:${s.lineNumber}:${s.columnNumber}`, 10);
    assert.equal(label(site('f', 1)), 'file:///srv/a.js:1:4');
    assert.equal(label(site('f', 2)), 'file:///srv/a.js:2:4');
    assert.equal(label({ ...site('f', 2), columnNumber: 9 }), 'file:///srv/a.js:2:9');
    assert.equal(label(site('f', 2, 'file:///srv/b.js')), 'file:///srv/b.js:2:4');
  });

  it('forgets everything rather than grow past its bound', () => {
    let asked = 0;
    const label = rememberedLabels((s) => {
      asked++;
      return s.functionName;
    }, 3);
    for (const name of ['a', 'b', 'c', 'd', 'a']) label(site(name));
    assert.equal(asked, 5, 'd cleared the memory, so a was labelled again');
  });
});
