import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimeExpression, TimeExpressionError } from '../../src/profile/time-expression.js';

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

test('unreadable text is refused with a message that lists the forms', () => {
  for (const text of ['yesterdayish', '-15', 'now-', '15 minutes', '1e9', '2024/05/01', 'ago', '12:00']) {
    assert.throws(
      () => parseTimeExpression(text, NOW),
      (error: unknown) => {
        assert.ok(error instanceof TimeExpressionError, text);
        assert.equal(
          error.message,
          `cannot read '${text}' as a time (use Unix seconds, ISO 8601, now, -15m, now-1h, 2 hours ago)`,
        );
        return true;
      },
    );
  }
});

test('specific mistakes get specific messages', () => {
  const refuses = (text: string, message: RegExp) =>
    assert.throws(() => parseTimeExpression(text, NOW), { name: 'TimeExpressionError', message }, text);
  refuses('', /^empty time/);
  refuses('   ', /^empty time/);
  refuses('-15y', /^unknown unit 'y' in '-15y' \(use s, m, h, d or w\)$/);
  refuses('3 fortnights ago', /^unknown unit 'fortnights'/);
  refuses('2024-02-30T00:00:00Z', /^'2024-02-30T00:00:00Z' is not a real date and time$/);
  refuses('2024-05-01T24:00:00Z', /not a real date and time/);
  refuses('2024-13-01', /not a real date and time/);
  refuses('2024-05-01T12:00:00+25:00', /no such UTC offset '\+25:00'/);
  refuses('-100000w', /^'-100000w' is before 1970$/);
  refuses('1969-12-31T23:59:59Z', /before 1970/);
  refuses('99999999999999999999', /out of range/);
});
