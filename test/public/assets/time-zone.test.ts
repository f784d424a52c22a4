import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatInZone, ianaZone, inZone, isoInZone, isZoneFree, readZone, withExplicitZone, zoneLabel,
} from '../../../public/assets/time-zone.js';
import { parseTimeExpression } from '../../../src/profile/time-expression.js';

// The page's 'local' is the browser's zone; here, the process's. Node rereads TZ when it is set.
const savedZone = process.env.TZ;
process.env.TZ = 'America/Los_Angeles';
after(() => {
  if (savedZone === undefined) delete process.env.TZ;
  else process.env.TZ = savedZone;
});

/** 2026-11-28T18:00:00Z: 10:00 in Los Angeles (PST, UTC-8). */
const T = Date.UTC(2026, 10, 28, 18) / 1000;
/** 2024-05-01T12:00:00Z: 05:00 in Los Angeles (PDT, UTC-7). */
const SUMMER = Date.UTC(2024, 4, 1, 12) / 1000;

test('the URL names utc or, by default, local', () => {
  assert.equal(readZone('utc'), 'utc');
  for (const value of ['local', null, '', 'UTC', 'Europe/Berlin']) assert.equal(readZone(value), 'local', String(value));
  assert.equal(ianaZone('utc'), 'UTC');
  assert.equal(ianaZone('local'), 'America/Los_Angeles');
});

test('times are shown as the clock of the chosen zone shows them, with the zone named', () => {
  assert.equal(formatInZone(T, 'local'), '2026-11-28 10:00:00');
  assert.equal(formatInZone(T, 'utc'), '2026-11-28 18:00:00');
  assert.equal(zoneLabel(T, 'local'), 'PST');
  assert.equal(zoneLabel(SUMMER, 'local'), 'PDT');
  assert.equal(zoneLabel(T, 'utc'), 'UTC');
});

test("the zone's name follows a change of the browser's zone (an index left open on a laptop that travels)", () => {
  assert.equal(zoneLabel(T, 'local'), 'PST');
  try {
    process.env.TZ = 'Europe/Berlin';
    assert.equal(formatInZone(T, 'local'), '2026-11-28 19:00:00');
    assert.equal(zoneLabel(T, 'local'), 'GMT+1');
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(zoneLabel(T, 'local'), 'GMT+5:30');
  } finally {
    process.env.TZ = 'America/Los_Angeles';
  }
  assert.equal(zoneLabel(T, 'local'), 'PST');
});

test('absolute times are written with the offset of the shown zone', () => {
  assert.equal(isoInZone(T, 'local'), '2026-11-28T10:00:00-08:00');
  assert.equal(isoInZone(SUMMER, 'local'), '2024-05-01T05:00:00-07:00');
  assert.equal(isoInZone(T + 59, 'utc'), '2026-11-28T18:00:59Z');
});

test('a date and time typed without a zone is read in the shown zone', () => {
  assert.equal(withExplicitZone('2026-11-28T10:00', 'local'), '2026-11-28T10:00:00-08:00');
  assert.equal(withExplicitZone(' 2026-11-28 10:00:30 ', 'local'), '2026-11-28T10:00:30-08:00');
  assert.equal(withExplicitZone('2026-11-28T10:00', 'utc'), '2026-11-28T10:00:00Z');
  assert.equal(withExplicitZone('2026-11-28', 'local'), '2026-11-28T00:00:00-08:00');
  assert.equal(Date.parse(withExplicitZone('2026-11-28T10:00', 'local')) / 1000, T);
  // 02:30 on the night Los Angeles springs forward does not exist: read as 03:30 PDT, as the server reads it.
  assert.equal(withExplicitZone('2026-03-08T02:30', 'local'), '2026-03-08T03:30:00-07:00');
});

test('every other form is left as typed: relative, words, Unix seconds, offsets, and mistakes for the server to explain', () => {
  for (const text of ['-1h', 'now', 'yesterday', 'last 2 days', '1714564800', '2026-11-28T10:00Z', '2026-11-28T10:00+01:00',
    '2026-02-30T10:00', '2026-11-28T24:00', '2026-11-28T10:75', '2026-11-28T10:00:00.5', 'soon']) {
    assert.equal(withExplicitZone(text, 'local'), text, text);
  }
});

test('switching zones re-expresses the times the page wrote and leaves relative ones alone', () => {
  assert.equal(inZone('2026-11-28T10:00:00-08:00', 'utc'), '2026-11-28T18:00:00Z');
  assert.equal(inZone('2026-11-28T18:00:00Z', 'local'), '2026-11-28T10:00:00-08:00');
  assert.equal(inZone('2026-11-28T18:00Z', 'local'), '2026-11-28T10:00:00-08:00');
  for (const text of ['-1h', 'yesterday', '1714564800', '2026-11-28 18:00']) assert.equal(inZone(text, 'utc'), text);
});

// The page leaves tz out of a range it calls zone-free: the server must read such a range the same in every zone.
test('a time called zone-free reads the same in every zone; calendar words and times without an offset do not', () => {
  const zones = ['UTC', 'America/Los_Angeles', 'Asia/Kathmandu'];
  for (const text of ['', '-1h', '-15m', 'now', 'now-1h', '-7d', '1714564800', '2026-11-28T10:00:00-08:00', '2026-11-28T18:00:00Z']) {
    assert.equal(isZoneFree(text), true, text);
    if (text === '') continue; // an empty end is left out of the query: the range's default
    for (const end of ['from', 'until'] as const) {
      const read = zones.map((zone) => parseTimeExpression(text, T, { end, zone }));
      assert.deepEqual(read, [read[0], read[0], read[0]], `${text} as ${end}`);
    }
  }
  for (const text of ['today', 'yesterday', '2026-11-28T10:00', '2026-11-28', '2026-11-28 10:00:00', 'soon']) {
    assert.equal(isZoneFree(text), false, text);
  }
});
