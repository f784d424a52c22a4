import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrangeGroups, listStateQuery, matchesFilter, mergedStatus, nameParts, readListState, sortedBy, sumLines,
} from '../../../public/assets/host-list.js';
import { groupSeries, type HostListing } from '../../../public/assets/series-rows.js';

const host = (name: string, rest: Partial<HostListing> = {}): HostListing => ({
  name, app: name.replace(/\{.*$/, ''), labels: {}, configured: true, lastSuccess: null, lastError: null, samplesLastHour: 0, ...rest,
});

const LISTING = [
  host('web2', { lastSuccess: 100, samplesLastHour: 5 }),
  host('Web10', { lastSuccess: 300, samplesLastHour: 1 }),
  host('db', { lastSuccess: null, samplesLastHour: 0 }),
  host('shop{region="eu"}', { app: 'shop', labels: { region: 'eu' }, lastSuccess: 200, samplesLastHour: 7, configured: false }),
  host('shop{region="us"}', { app: 'shop', labels: { region: 'us' }, lastSuccess: 50, samplesLastHour: 9, configured: false }),
];

/** Group titles, each followed by its rows' titles. */
const shown = (query: string) => arrangeGroups(groupSeries(LISTING), readListState(query)).map((group) => [group.app, ...group.rows.map((row) => row.title)]);

test('the URL keeps sort, order, filter and span, leaving defaults out; unknown values fall back', () => {
  assert.deepEqual(readListState(''), { sort: 'config', order: 'asc', filter: '', spark: '1h' });
  assert.deepEqual(readListState('sort=last'), { sort: 'last', order: 'desc', filter: '', spark: '1h' });
  assert.deepEqual(readListState('sort=name&order=desc&filter=a%2Bb&spark=1d'), { sort: 'name', order: 'desc', filter: 'a+b', spark: '1d' });
  assert.deepEqual(readListState('sort=evil&order=up&spark=7d'), { sort: 'config', order: 'asc', filter: '', spark: '1h' });
  for (const query of ['', 'sort=last', 'sort=name&order=desc&filter=a%2Bb&spark=1d', 'sort=samples&order=asc&filter=%5B%28']) {
    assert.equal(listStateQuery(readListState(query)), query);
  }
});

test('a header click sorts by its column, a second click turns the order round', () => {
  const start = readListState('');
  assert.deepEqual(sortedBy(start, 'samples'), { ...start, sort: 'samples', order: 'desc' });
  assert.deepEqual(sortedBy(sortedBy(start, 'samples'), 'samples'), { ...start, sort: 'samples', order: 'asc' });
  assert.deepEqual(sortedBy(sortedBy(start, 'samples'), 'name'), { ...start, sort: 'name', order: 'asc' });
});

test('sorts apps and the rows inside them by name (numbers as numbers), last collection or samples; config order by default', () => {
  assert.deepEqual(shown(''), [['web2', 'web2'], ['Web10', 'Web10'], ['db', 'db'], ['shop', 'region=eu', 'region=us']]);
  assert.deepEqual(shown('sort=name'), [['db', 'db'], ['shop', 'region=eu', 'region=us'], ['web2', 'web2'], ['Web10', 'Web10']]);
  assert.deepEqual(shown('sort=name&order=desc'), [['Web10', 'Web10'], ['web2', 'web2'], ['shop', 'region=us', 'region=eu'], ['db', 'db']]);
  // An app's last collection is its newest series'; never collected is the oldest of all.
  assert.deepEqual(shown('sort=last'), [['Web10', 'Web10'], ['shop', 'region=eu', 'region=us'], ['web2', 'web2'], ['db', 'db']]);
  assert.deepEqual(shown('sort=last&order=asc'), [['db', 'db'], ['web2', 'web2'], ['shop', 'region=us', 'region=eu'], ['Web10', 'Web10']]);
  assert.deepEqual(shown('sort=samples'), [['shop', 'region=us', 'region=eu'], ['web2', 'web2'], ['Web10', 'Web10'], ['db', 'db']]);
});

test('filters literally and case-insensitively: an app that matches keeps its rows, else only matching rows stay', () => {
  assert.deepEqual(shown('filter=WEB'), [['web2', 'web2'], ['Web10', 'Web10']]);
  assert.deepEqual(shown('filter=region%3Dus'), [['shop', 'region=us']]);
  assert.deepEqual(shown('filter=shop'), [['shop', 'region=eu', 'region=us']]);
  assert.deepEqual(shown('filter=.*'), [], 'a pattern is text, not a regular expression');
  assert.deepEqual(shown('filter=%20%20'), shown(''), 'blanks filter nothing');
  assert.equal(matchesFilter(['a(b'], '(B'), true);
});

test('a row merges its series: newest success and error, summed samples and sparklines', () => {
  const merged = mergedStatus([
    host('a', { lastSuccess: 5, lastError: { time: 9, reason: 'x' }, samplesLastHour: 2, configured: false }),
    host('b', { lastSuccess: 7, lastError: { time: 3, reason: 'y' }, samplesLastHour: 3, configured: true }),
  ]);
  assert.deepEqual(merged, { configured: true, lastSuccess: 7, lastError: { time: 9, reason: 'x' }, samplesLastHour: 5 });
  assert.deepEqual(sumLines([[1, 2, 3], [10, 0, 1]]), [11, 2, 4]);
  assert.equal(sumLines([[1, 2, 3], undefined]), null, 'a host the server drew no line for: no partial sum');
  assert.equal(sumLines([]), null);
});

test('names break only after separators, never inside a word or number', () => {
  assert.deepEqual(nameParts('shop{__type__=cpu,region=eu-west}'), ['shop{', '__type__=', 'cpu,', 'region=', 'eu-', 'west}']);
  assert.deepEqual(nameParts('10.0.0.12:8080'), ['10.', '0.', '0.', '12:', '8080']);
  assert.deepEqual(nameParts('web1'), ['web1']);
  assert.equal(nameParts('a-b/c d').join(''), 'a-b/c d');
});
