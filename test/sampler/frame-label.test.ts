import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameLabel, type CallSite } from '../../src/sampler/frame-label.js';

const root = '/srv/app';

function site(functionName: string, url: string, lineNumber: number): CallSite {
  return { functionName, url, lineNumber, columnNumber: 0 };
}

describe('frameLabel', () => {
  const cases: [string, CallSite, string][] = [
    ['writes name (file:line), the file relative to the root, the line 1-based', site('handle', 'file:///srv/app/src/routes/user.js', 41), 'handle (src/routes/user.js:42)'],
    ['takes absolute paths as well as file URLs', site('handle', '/srv/app/index.js', 0), 'handle (index.js:1)'],
    ['decodes file URLs', site('f', 'file:///srv/app/my%20lib/a.js', 2), 'f (my lib/a.js:3)'],
    ['keeps files outside the root absolute rather than climbing out with ..', site('f', 'file:///usr/lib/node/x.js', 9), 'f (/usr/lib/node/x.js:10)'],
    ['does not take a sibling folder sharing the prefix for the root', site('f', 'file:///srv/app-other/x.js', 9), 'f (/srv/app-other/x.js:10)'],
    ["shows Node's internals as node: names", site('emit', 'node:events', 516), 'emit (node:events:517)'],
    ['names unnamed functions (anonymous)', site('', 'file:///srv/app/a.js', 4), '(anonymous) (a.js:5)'],
    ['leaves the line out when V8 does not know it', site('', 'file:///srv/app/main.mjs', -1), '(anonymous) (main.mjs)'],
    ["shows V8's own frames by name alone", site('(garbage collector)', '', -1), '(garbage collector)'],
    ['shows native functions by name alone', site('now', '', -1), 'now'],
    ['never lets a ; or a line break into a frame', site('a;b\nc', 'file:///srv/app/x;y.js', 0), 'a,b c (x,y.js:1)'],
    ['keeps markup-like names as they are: they are data', site('<img src=x>', '', -1), '<img src=x>'],
    ['turns control and bidi characters into spaces and lone surrogates into U+FFFD, so the collector accepts the frame', site('a\u0000b\u202ec\ud800', '', -1), 'a b c\ufffd'],
  ];
  for (const [behaviour, callSite, label] of cases) {
    it(behaviour, () => {
      assert.equal(frameLabel(callSite, root), label);
    });
  }
});
