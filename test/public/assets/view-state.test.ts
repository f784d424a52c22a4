import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readViewState, viewStateQuery } from '../../../public/assets/view-state.js';

test('the graph is an icicle unless the URL asks for a flame graph, and the choice is spelled out in the URL', () => {
  assert.equal(readViewState('').orientation, 'icicle');
  assert.equal(readViewState('?orient=flame').orientation, 'flame');
  assert.equal(readViewState('?orient=icicle').orientation, 'icicle');
  assert.equal(readViewState('?orient=sideways').orientation, 'icicle', 'an unknown value falls back to the default');
  assert.equal(new URLSearchParams(viewStateQuery(readViewState('?orient=flame'))).get('orient'), 'flame');
  assert.equal(new URLSearchParams(viewStateQuery(readViewState(''))).get('orient'), 'icicle');
});
