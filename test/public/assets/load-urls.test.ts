import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAnalysisState } from '../../../public/assets/analysis-state.js';
import { loadUrls } from '../../../public/assets/load-urls.js';
import { readViewState } from '../../../public/assets/view-state.js';

const urlsOf = (query: string) => loadUrls('a/b', readViewState(query), readAnalysisState(query));

test('a view loads its profile and timeline, the functions only when the table shows them', () => {
  assert.deepEqual(urlsOf('?from=-1h&until=now&tz=utc&threshold=0.01'), {
    tree: '/profile/a%2Fb/?from=-1h&until=now&threshold=0.01&format=compact',
    timeline: '/timeline/a%2Fb/?from=-1h&until=now',
    functions: null,
  });
  assert.equal(urlsOf('?from=-1h&tz=utc&layout=table').functions, '/functions/a%2Fb/?from=-1h&until=now');
});

test('a comparison loads its /diff tree and the functions for its list of changes; a detail its path', () => {
  const comparison = urlsOf('?from=-1h&tz=utc&compare=previous');
  assert.equal(comparison.tree, '/diff/a%2Fb/?from=-1h&until=now');
  assert.notEqual(comparison.functions, null);
  assert.equal(new URLSearchParams(urlsOf('?from=-1h&zoom=main;work&detail=1').tree.split('?')[1]).get('path'), 'main;work');
});
