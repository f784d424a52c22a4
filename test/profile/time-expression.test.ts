import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCEPTED_FORMS, parseTimeExpression, TimeExpressionError } from '../../src/profile/time-expression.js';

/** 2024-05-01T12:00:00Z */
const NOW = 1714564800;

const readsAs = (cases: Array<[string, number]>) => {
  for (const [text, expected] of cases) assert.equal(parseTimeExpression(text, NOW), expected, text);
};

test('Unix seconds, whole or decimal, floored', () => {
  readsAs([
    ['0', 0],
    ['1714564800', 1714564800],
    ['1714564800.999', 1714564800],
    [' 42 ', 42],
  ]);
});

test('now, in any case, is the current second', () => {
  readsAs([['now', NOW], ['NOW', NOW], [' Now ', NOW]]);
  assert.equal(parseTimeExpression('now', NOW + 0.7), NOW);
});

test('relative: minus an amount with a unit', () => {
  readsAs([
    ['-15minutes', NOW - 900],
    ['-15m', NOW - 900],
    ['-15 min', NOW - 900],
    ['-2h', NOW - 7200],
    ['-7d', NOW - 7 * 86400],
    ['-1w', NOW - 604800],
    ['-30s', NOW - 30],
    ['-1.5h', NOW - 5400],
  ]);
});

test('relative to now, either way', () => {
  readsAs([
    ['now-1h', NOW - 3600],
    ['now - 1 hour', NOW - 3600],
    ['now-90sec', NOW - 90],
    ['now+5m', NOW + 300],
  ]);
});

test('relative: an amount with a unit and "ago"', () => {
  readsAs([
    ['15 minutes ago', NOW - 900],
    ['2 hours ago', NOW - 7200],
    ['1 day ago', NOW - 86400],
    ['3 weeks ago', NOW - 3 * 604800],
    ['10s ago', NOW - 10],
    ['1 second ago', NOW - 1],
  ]);
});

test('every unit spelling', () => {
  const units: Array<[string[], number]> = [
    [['s', 'sec', 'secs', 'second', 'seconds'], 1],
    [['m', 'min', 'mins', 'minute', 'minutes'], 60],
    [['h', 'hr', 'hrs', 'hour', 'hours'], 3600],
    [['d', 'day', 'days'], 86400],
    [['w', 'week', 'weeks'], 604800],
  ];
  for (const [names, seconds] of units) {
    for (const name of names) assert.equal(parseTimeExpression(`-2${name}`, NOW), NOW - 2 * seconds, name);
  }
});

test('ISO 8601 with Z, an offset, or none (read as UTC)', () => {
  readsAs([
    ['2024-05-01T12:00:00Z', NOW],
    ['2024-05-01T12:00:00.750Z', NOW],
    ['2024-05-01T12:00:01,5Z', NOW + 1],
    ['2024-05-01T14:00:00+02:00', NOW],
    ['2024-05-01T07:00:00-0500', NOW],
    ['2024-05-01T17:30+05:30', NOW],
    ['2024-05-01T12:00', NOW],
    ['2024-05-01 12:00:00', NOW],
    ['2024-05-01', NOW - 12 * 3600],
    ['2024-05-01t12:00:00z', NOW],
  ]);
});

test('unreadable text is refused with a message that lists every accepted form', () => {
  for (const text of ['yesterdayish', '-15', 'now-', '15 minutes', '1e9', '2024/05/01', 'ago', '12:00', 'last', 'last 2', 'tomorrow', 'a hour', 'now - - 1h']) {
    assert.throws(
      () => parseTimeExpression(text, NOW),
      (error: unknown) => {
        assert.ok(error instanceof TimeExpressionError, text);
        assert.equal(error.message, `cannot read '${text}' as a time; accepted: ${ACCEPTED_FORMS}`);
        return true;
      },
    );
  }
  for (const form of ['Unix seconds', 'ISO 8601', 'now', 'today', 'yesterday', '-15m', 'now-1h', '2 hours ago', 'an hour ago', 'last 15 minutes', 'last week']) {
    assert.ok(ACCEPTED_FORMS.includes(form), form);
  }
});

test('specific mistakes get specific messages, each followed by the accepted forms', () => {
  const refuses = (text: string, problem: string) =>
    assert.throws(() => parseTimeExpression(text, NOW), { name: 'TimeExpressionError', message: `${problem}; accepted: ${ACCEPTED_FORMS}` }, text);
  refuses('', 'empty time');
  refuses('   ', 'empty time');
  refuses('-15y', "unknown unit 'y' in '-15y'");
  refuses('3 fortnights ago', "unknown unit 'fortnights' in '3 fortnights ago'");
  refuses('last 2 moons', "unknown unit 'moons' in 'last 2 moons'");
  refuses('2024-02-30T00:00:00Z', "'2024-02-30T00:00:00Z' is not a real date and time");
  refuses('2024-05-01T24:00:00Z', "'2024-05-01T24:00:00Z' is not a real date and time");
  refuses('2024-13-01', "'2024-13-01' is not a real date and time");
  refuses('2024-05-01T12:00:00+25:00', "'2024-05-01T12:00:00+25:00' has no such UTC offset '+25:00'");
  refuses('-100000w', "'-100000w' is before 1970");
  refuses('1969-12-31T23:59:59Z', "'1969-12-31T23:59:59Z' is before 1970");
  refuses('99999999999999999999', "'99999999999999999999' is out of range");
  refuses('1'.repeat(65), `'${'1'.repeat(64)}…' is too long for a time`);
});

test("people's words: a/an, last N units, the span ending now", () => {
  readsAs([
    ['an hour ago', NOW - 3600],
    ['a day ago', NOW - 86400],
    ['a minute ago', NOW - 60],
    ['last hour', NOW - 3600],
    ['last week', NOW - 604800],
    ['last 2 days', NOW - 2 * 86400],
    ['last 15 minutes', NOW - 900],
    ['Last 15 Minutes', NOW - 900],
    ['last 1.5h', NOW - 5400],
  ]);
  // As the end of a range, "last ..." is now: from=last week&until=last week is the week ending now.
  for (const text of ['last hour', 'last week', 'last 2 days', 'last 15 minutes']) {
    assert.equal(parseTimeExpression(text, NOW, { end: 'until' }), NOW, text);
  }
  assert.throws(() => parseTimeExpression('last fortnight', NOW, { end: 'until' }), /unknown unit 'fortnight'/);
  assert.equal(parseTimeExpression('last 0.5 s', NOW), NOW - 1, 'floored like every other form');
  assert.equal(parseTimeExpression('1.5 seconds ago', NOW), NOW - 2);
  // "ago" forms name one instant whichever end they are.
  assert.equal(parseTimeExpression('an hour ago', NOW, { end: 'until' }), NOW - 3600);
});

test('today and yesterday are calendar days in UTC: the first second as from, the last (at most now) as until', () => {
  const midnight = NOW - 12 * 3600; // 2024-05-01T00:00:00Z
  const day = (text: string, end: 'from' | 'until') => parseTimeExpression(text, NOW, { end });
  assert.equal(day('today', 'from'), midnight);
  assert.equal(day('today', 'until'), NOW, 'the rest of today has not happened yet');
  assert.equal(day('yesterday', 'from'), midnight - 86400);
  assert.equal(day('yesterday', 'until'), midnight - 1);
  assert.equal(day('Yesterday', 'from'), midnight - 86400);
  // At the first second of a day, today until is that second, and yesterday is the whole day before.
  assert.equal(parseTimeExpression('today', midnight, { end: 'until' }), midnight);
  assert.equal(parseTimeExpression('yesterday', midnight, { end: 'from' }), midnight - 86400);
});

test('a zone moves calendar days and ISO times without an offset, and nothing else', () => {
  const la = { zone: 'America/Los_Angeles' };
  // NOW is 05:00 in Los Angeles (PDT, UTC-7) on 2024-05-01.
  assert.equal(parseTimeExpression('today', NOW, la), NOW - 5 * 3600);
  assert.equal(parseTimeExpression('yesterday', NOW, { ...la, end: 'until' }), NOW - 5 * 3600 - 1);
  assert.equal(parseTimeExpression('2024-05-01T05:00', NOW, la), NOW);
  assert.equal(parseTimeExpression('2024-05-01 05:00:00', NOW, la), NOW);
  assert.equal(parseTimeExpression('2024-05-01', NOW, la), NOW - 5 * 3600);
  // An explicit offset or Z wins over the zone; relative forms ignore it.
  assert.equal(parseTimeExpression('2024-05-01T12:00:00Z', NOW, la), NOW);
  assert.equal(parseTimeExpression('2024-05-01T14:00+02:00', NOW, la), NOW);
  assert.equal(parseTimeExpression('-1h', NOW, la), NOW - 3600);
  assert.equal(parseTimeExpression('last week', NOW, la), NOW - 604800);
  // Berlin in winter is UTC+1: 2026-11-28T10:00 there is 09:00Z.
  assert.equal(parseTimeExpression('2026-11-28T10:00', NOW, { zone: 'Europe/Berlin' }), Date.UTC(2026, 10, 28, 9) / 1000);
  // The case: 10:00 typed in Los Angeles in November (PST, UTC-8) is 18:00Z.
  assert.equal(parseTimeExpression('2026-11-28T10:00', NOW, la), Date.UTC(2026, 10, 28, 18) / 1000);
});
