import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoRefreshSeconds, isAbsoluteTime, openingViewState, readViewState, viewStateQuery, withAbsoluteRange,
} from '../../../public/assets/view-state.js';

test('the graph is an icicle unless the URL asks for a flame graph, and the choice is spelled out in the URL', () => {
  assert.equal(readViewState('').orientation, 'icicle');
  assert.equal(readViewState('?orient=flame').orientation, 'flame');
  assert.equal(readViewState('?orient=icicle').orientation, 'icicle');
  assert.equal(readViewState('?orient=sideways').orientation, 'icicle', 'an unknown value falls back to the default');
  assert.equal(new URLSearchParams(viewStateQuery(readViewState('?orient=flame'))).get('orient'), 'flame');
  assert.equal(new URLSearchParams(viewStateQuery(readViewState(''))).get('orient'), 'icicle');
});

test('auto-refresh is kept in the URL and runs only while the range ends at a moving time', () => {
  assert.equal(readViewState('').refresh, 'off');
  assert.equal(readViewState('?refresh=30s').refresh, '30s');
  assert.equal(readViewState('?refresh=5s').refresh, 'off', 'only the offered periods');
  assert.equal(new URLSearchParams(viewStateQuery(readViewState('?refresh=1m'))).get('refresh'), '1m');
  assert.equal(new URLSearchParams(viewStateQuery(readViewState(''))).has('refresh'), false, 'off stays out of the URL');

  assert.equal(autoRefreshSeconds(readViewState('?from=-15m&refresh=10s')), 10);
  assert.equal(autoRefreshSeconds(readViewState('?from=yesterday&until=now-1h&refresh=1m')), 60);
  assert.equal(autoRefreshSeconds(readViewState('?from=-15m')), 0);
  assert.equal(autoRefreshSeconds(readViewState('?from=-7d&until=2024-05-01T12:00:00Z&refresh=10s')), 0, 'a fixed end never changes');
  assert.equal(autoRefreshSeconds(readViewState('?from=0&until=1714564800&refresh=10s')), 0);
  for (const time of ['1714564800', '2024-05-01', '2024-05-01T12:00:00+02:00']) assert.equal(isAbsoluteTime(time), true, time);
  for (const time of ['-1h', 'now', 'now-1h', 'yesterday', '2 hours ago', 'last week']) assert.equal(isAbsoluteTime(time), false, time);
});

test('a link with absolute times pins the resolved range in the shown zone and does not refresh', () => {
  const state = readViewState('?from=-1h&tz=utc&refresh=30s&search=db');
  const pinned = withAbsoluteRange(state, { from: 1714561200, until: 1714564800 });
  assert.deepEqual([pinned.from, pinned.until, pinned.refresh, pinned.search],
    ['2024-05-01T11:00:00Z', '2024-05-01T12:00:00Z', 'off', 'db']);
  assert.equal(withAbsoluteRange(state, { from: 0, until: 1714564800 }).from, '0', 'all data stays all data');
});

test('the view a page opens with gives times typed without a zone the shown zone, and keeps the rest as read', () => {
  const opening = openingViewState('?from=2024-05-01T10:00&until=now&tz=utc&search=db');
  assert.deepEqual([opening.from, opening.until, opening.search], ['2024-05-01T10:00:00Z', 'now', 'db']);
  assert.deepEqual(openingViewState('?from=-15m'), readViewState('?from=-15m'), 'a relative range stays relative');
});
