import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { samplerSettings, type SamplerOptions } from '../../src/sampler/sampler-options.js';

describe('samplerSettings', () => {
  it('fills in the defaults', () => {
    assert.deepEqual(samplerSettings({ secret: 's' }), {
      secret: 's',
      intervalSeconds: 0.01,
      rotateSeconds: 10,
      maxStacks: 10_000,
      root: process.cwd(),
      path: '/liveprofiler',
    });
  });

  it('resolves a relative root against the working folder', () => {
    assert.equal(samplerSettings({ secret: 's', root: 'src' }).root, path.join(process.cwd(), 'src'));
  });

  const refusals: [string, SamplerOptions, RegExp][] = [
    ['an empty secret', { secret: '' }, /option secret must be a non-empty string/],
    ['a secret that is not a string', { secret: 42 as unknown as string }, /option secret/],
    ['a zero interval', { secret: 's', intervalSeconds: 0 }, /option intervalSeconds .* got 0/],
    ['an interval that is not a number', { secret: 's', intervalSeconds: NaN }, /option intervalSeconds/],
    ['a rotation no longer than the interval', { secret: 's', intervalSeconds: 1, rotateSeconds: 1 }, /option rotateSeconds .* got 1/],
    ['a rotation setInterval cannot wait for', { secret: 's', rotateSeconds: 3e6 }, /option rotateSeconds/],
    ['a fractional cap', { secret: 's', maxStacks: 2.5 }, /option maxStacks .* got 2.5/],
    ['a zero cap', { secret: 's', maxStacks: 0 }, /option maxStacks/],
    ['a path without a leading slash', { secret: 's', path: 'liveprofiler' }, /option path must start with '\/'/],
  ];
  for (const [what, options, message] of refusals) {
    it(`refuses ${what}, naming the option`, () => {
      assert.throws(() => samplerSettings(options), message);
    });
  }
});
