import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { originalCallSite } from '../../src/sampler/original-call-site.js';
import { V8CpuProfiler } from '../../src/sampler/v8-cpu-profiler.js';
import { minorWork } from '../fixtures/sampler/busy-work.js';
import { busyWorkFile, declarationLine, repositoryRoot } from '../fixtures/sampler/source-lines.js';

describe('originalCallSite', () => {
  it('maps code tsx compiled back to the TypeScript line that declares the function', () => {
    const profiler = new V8CpuProfiler(1000);
    minorWork(50);
    const profile = profiler.rotate();
    profiler.stop();
    const generated = profile.nodes.find((node) => node.callFrame.functionName === 'minorWork')?.callFrame;
    assert.ok(generated, 'minorWork was sampled');

    const original = originalCallSite(generated);
    assert.equal(original.url, pathToFileURL(`${repositoryRoot}${busyWorkFile}`).href);
    assert.equal(original.lineNumber + 1, declarationLine('minorWork'));
    assert.equal(original.functionName, 'minorWork');
  });

  it('leaves sites without a source map as they are', () => {
    for (const site of [
      { functionName: 'emit', url: 'node:events', lineNumber: 516, columnNumber: 3 },
      { functionName: '(program)', url: '', lineNumber: -1, columnNumber: -1 },
      { functionName: 'f', url: 'file:///nowhere/plain.js', lineNumber: 3, columnNumber: 1 },
      { functionName: '', url: pathToFileURL(`${repositoryRoot}${busyWorkFile}`).href, lineNumber: -1, columnNumber: -1 },
    ]) {
      assert.deepEqual(originalCallSite(site), site);
    }
  });
});
