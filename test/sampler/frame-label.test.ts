import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameLabel, type CallSite } from '../../src/sampler/frame-label.js';

const root = '/srv/app';

function site(functionName: string, url: string, lineNumber: number): CallSite {
  return { functionName, url, lineNumber, columnNumber: 0 };
}

describe('frameLabel', () => {
  it('writes name (file:line) with the file relative to the root and the line 1-based', () => {
    assert.equal(frameLabel(site('handle', 'file:///srv/app/src/routes/user.js', 41), root), 'handle (src/routes/user.js:42)');
  });

  it('takes absolute paths as well as file URLs', () => {
    assert.equal(frameLabel(site('handle', '/srv/app/index.js', 0), root), 'handle (index.js:1)');
  });

  it('decodes file URLs', () => {
    assert.equal(frameLabel(site('f', 'file:///srv/app/my%20lib/a.js', 2), root), 'f (my lib/a.js:3)');
  });

  it('keeps files outside the root absolute rather than climbing out with ..', () => {
    assert.equal(frameLabel(site('f', 'file:///usr/lib/node/x.js', 9), root), 'f (/usr/lib/node/x.js:10)');
    assert.equal(frameLabel(site('f', 'file:///srv/app-other/x.js', 9), root), 'f (/srv/app-other/x.js:10)');
  });

  it("shows Node's internals as node: names", () => {
    assert.equal(frameLabel(site('emit', 'node:events', 516), root), 'emit (node:events:517)');
  });

  it('names unnamed functions (anonymous)', () => {
    assert.equal(frameLabel(site('', 'file:///srv/app/a.js', 4), root), '(anonymous) (a.js:5)');
  });

  it('leaves the line out when V8 does not know it', () => {
    assert.equal(frameLabel(site('', 'file:///srv/app/main.mjs', -1), root), '(anonymous) (main.mjs)');
  });

  it("shows V8's own frames and native functions by name alone", () => {
    assert.equal(frameLabel(site('(garbage collector)', '', -1), root), '(garbage collector)');
    assert.equal(frameLabel(site('now', '', -1), root), 'now');
  });

  it('never lets a ; or a line break into a frame', () => {
    const label = frameLabel(site('a;b\nc', 'file:///srv/app/x;y.js', 0), root);
    assert.equal(label, 'a,b c (x,y.js:1)');
  });

  it('keeps markup-like names as they are: they are data', () => {
    assert.equal(frameLabel(site('<img src=x>', '', -1), root), '<img src=x>');
  });
});
