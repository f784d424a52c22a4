import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectIfHeapGrew } from '../../src/operability/heap-growth.js';

/** Some 80 MB of strings, reachable while the array is. */
function manyStrings(): string[] {
  return Array.from({ length: 800_000 }, (_, i) => `a string of garbage, number ${i} `.repeat(3));
}

describe('collectIfHeapGrew', () => {
  it('collects the whole heap once garbage has grown it well past what is live, and not again until it grows again', () => {
    collectIfHeapGrew(); // from here on, what this collection left is what growth is measured from
    let strings: string[] | null = manyStrings();
    assert.equal(strings.length, 800_000);
    // Dropped after living through the collections their allocation caused: garbage only a whole collection frees.
    strings = null;
    const collected = collectIfHeapGrew();
    assert.ok(collected !== null, 'the heap grew past twice what was live plus the slack');
    assert.ok(collected.heapUsed < collected.heapUsedBefore - 50 * 1024 ** 2, `${collected.heapUsedBefore} -> ${collected.heapUsed} bytes`);
    assert.equal(collectIfHeapGrew(), null, 'nothing has grown since');
  });
});
