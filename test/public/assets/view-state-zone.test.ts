import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileQuery, readViewState, timelineQuery, viewStateQuery } from '../../../public/assets/view-state.js';

test('the shown zone is kept in the URL as tz, and sent to the API as an IANA name', () => {
  const utc = readViewState('?from=yesterday&until=today&tz=utc');
  assert.equal(utc.zone, 'utc');
  assert.equal(new URLSearchParams(viewStateQuery(utc)).get('tz'), 'utc');
  assert.equal(new URLSearchParams(timelineQuery(utc)).get('tz'), 'UTC');
  assert.deepEqual([...new URLSearchParams(profileQuery({ ...utc, threshold: '0.01' }))],
    [['from', 'yesterday'], ['until', 'today'], ['tz', 'UTC'], ['threshold', '0.01']]);

  const local = readViewState('?from=today');
  assert.equal(local.zone, 'local');
  assert.equal(new URLSearchParams(viewStateQuery(local)).get('tz'), 'local', 'spelled out, so a copied link keeps it');
  assert.equal(new URLSearchParams(timelineQuery(local)).get('tz'), Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.equal(readViewState('?tz=Mars').zone, 'local');
});

// Naming the browser's zone takes Intl, whose first call sets up ICU: the first requests of a relative range go without.
test('a range every zone reads alike is sent without tz', () => {
  for (const query of ['?from=-1h', '?from=-1h&until=now&tz=utc', '?from=2026-11-28T10:00:00-08:00&until=2026-11-28T11:00:00Z']) {
    assert.equal(new URLSearchParams(timelineQuery(readViewState(query))).has('tz'), false, query);
  }
  assert.equal(new URLSearchParams(timelineQuery(readViewState('?from=-1h&until=today&tz=utc'))).get('tz'), 'UTC');
});
