import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuProfileToStacks, type CpuProfile, type CpuProfileNode } from '../../src/sampler/cpu-profile-to-stacks.js';
import { frameLabel, type CallSite } from '../../src/sampler/frame-label.js';

function node(id: number, functionName: string, url: string, lineNumber: number, children?: number[]): CpuProfileNode {
  return { id, callFrame: { functionName, url, lineNumber, columnNumber: 0, scriptId: '0' } as CallSite, children };
}

/** A small profile shaped as V8 writes them: a (root), V8's pseudo-frames, and a service's call tree. */
const profile: CpuProfile = {
  nodes: [
    node(1, '(root)', '', -1, [2, 3, 4, 5, 8]),
    node(2, '(program)', '', -1),
    node(3, '(idle)', '', -1),
    node(4, '(garbage collector)', '', -1),
    node(5, 'main', 'file:///app/server.js', 9, [6, 7]),
    node(6, '', 'file:///app/lib/db.js', 0, [9]),
    node(7, 'parse;json', 'node:internal/deps/x', 2),
    node(8, 'handle', '/app/handler.js', -1),
    node(9, 'query', 'file:///opt/other/q.js', 4),
  ],
  samples: [2, 3, 3, 4, 5, 6, 6, 9, 7, 8, 5, 3],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
};

const labelAtApp = (site: CallSite) => frameLabel(site, '/app');

describe('cpuProfileToStacks', () => {
  it('counts the samples of each stack, root first, without idle time or the root', () => {
    assert.deepEqual(
      Object.fromEntries(cpuProfileToStacks(profile, labelAtApp)),
      {
        '(program)': 1,
        '(garbage collector)': 1,
        'main (server.js:10)': 2,
        'main (server.js:10);(anonymous) (lib/db.js:1)': 2,
        'main (server.js:10);(anonymous) (lib/db.js:1);query (/opt/other/q.js:5)': 1,
        'main (server.js:10);parse,json (node:internal/deps/x:3)': 1,
        'handle (handler.js)': 1,
      },
    );
  });

  it('labels each node once however many samples and descendants it has', () => {
    const labelled: string[] = [];
    cpuProfileToStacks(profile, (site) => {
      labelled.push(site.functionName);
      return site.functionName;
    });
    assert.deepEqual(labelled.sort(), ['', '(garbage collector)', '(program)', 'handle', 'main', 'parse;json', 'query']);
  });

  it('uses hitCount when the profile carries no samples', () => {
    const nodes = [node(1, '(root)', '', -1, [2]), { ...node(2, 'main', '/app/a.js', 0, [3]), hitCount: 2 }, { ...node(3, 'leaf', '/app/a.js', 5), hitCount: 5 }];
    assert.deepEqual(Object.fromEntries(cpuProfileToStacks({ nodes }, labelAtApp)), {
      'main (a.js:1)': 2,
      'main (a.js:1);leaf (a.js:6)': 5,
    });
  });

  it('gives an empty count for a profile without samples', () => {
    assert.equal(cpuProfileToStacks({ nodes: [node(1, '(root)', '', -1)], samples: [] }, labelAtApp).size, 0);
  });

  it('refuses a sample of a node the profile does not contain', () => {
    assert.throws(() => cpuProfileToStacks({ nodes: [node(1, '(root)', '', -1)], samples: [7] }, labelAtApp), /node 7/);
  });

  it('refuses a call tree with a cycle rather than looping', () => {
    const cyclic = { nodes: [node(1, 'a', '', -1, [2]), node(2, 'b', '', -1, [1])], samples: [2] };
    assert.throws(() => cpuProfileToStacks(cyclic, labelAtApp), /cycle/);
  });
});
