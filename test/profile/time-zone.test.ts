import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTimeZone, startOfDay, wallTimeAt, wallTimeToSeconds, type WallTime } from '../../src/profile/time-zone.js';

const utc = (...fields: [number, number, number, number, number, number?]) =>
  Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5] ?? 0) / 1000;
const wall = (year: number, month: number, day: number, hour: number, minute: number, second = 0): WallTime =>
  ({ year, month, day, hour, minute, second });

test('IANA names and UTC are time zones; anything else is not', () => {
  for (const zone of ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata']) assert.ok(isTimeZone(zone), zone);
  for (const zone of ['', 'local', 'Mars/Olympus', 'Europe/Berlin'.repeat(6), '<script>']) assert.ok(!isTimeZone(zone), zone);
});

test('a wall time and back, in zones with whole and half-hour offsets', () => {
  const cases: Array<[string, WallTime, number]> = [
    ['UTC', wall(2024, 5, 1, 12, 0), utc(2024, 5, 1, 12, 0)],
    ['Europe/Berlin', wall(2024, 5, 1, 14, 0), utc(2024, 5, 1, 12, 0)],
    ['Europe/Berlin', wall(2026, 11, 28, 10, 0), utc(2026, 11, 28, 9, 0)],
    ['America/Los_Angeles', wall(2026, 11, 28, 10, 0), utc(2026, 11, 28, 18, 0)],
    ['Asia/Kolkata', wall(2024, 5, 1, 17, 30, 15), utc(2024, 5, 1, 12, 0, 15)],
  ];
  for (const [zone, time, seconds] of cases) {
    assert.equal(wallTimeToSeconds(time, zone), seconds, `${zone} ${JSON.stringify(time)}`);
    assert.deepEqual(wallTimeAt(seconds, zone), time, zone);
  }
});

test('daylight saving: a skipped time reads with the offset before the jump, a repeated one is its first showing', () => {
  // Los Angeles sprang forward at 2026-03-08 02:00 PST: 02:30 never showed; PST reads it as 10:30Z (03:30 PDT).
  assert.equal(wallTimeToSeconds(wall(2026, 3, 8, 2, 30), 'America/Los_Angeles'), utc(2026, 3, 8, 10, 30));
  // Berlin fell back at 2026-10-25 03:00 CEST: 02:30 showed at 00:30Z (CEST) and again at 01:30Z (CET).
  assert.equal(wallTimeToSeconds(wall(2026, 10, 25, 2, 30), 'Europe/Berlin'), utc(2026, 10, 25, 0, 30));
  assert.equal(wallTimeToSeconds(wall(2026, 10, 25, 3, 30), 'Europe/Berlin'), utc(2026, 10, 25, 2, 30));
});

test("a day's first second, today and days back, across a month end and a 23-hour day", () => {
  const now = utc(2024, 5, 1, 5, 0); // 2024-05-01 07:00 in Berlin, 2024-04-30 22:00 in Los Angeles
  assert.equal(startOfDay(now, 'UTC'), utc(2024, 5, 1, 0, 0));
  assert.equal(startOfDay(now, 'UTC', 1), utc(2024, 4, 30, 0, 0));
  assert.equal(startOfDay(now, 'Europe/Berlin'), utc(2024, 4, 30, 22, 0));
  assert.equal(startOfDay(now, 'America/Los_Angeles'), utc(2024, 4, 30, 7, 0));
  assert.equal(startOfDay(now, 'America/Los_Angeles', 30), utc(2024, 3, 31, 7, 0));
  // 2026-03-09 in Los Angeles: yesterday (Mar 8) began in PST and was 23 hours long.
  const monday = utc(2026, 3, 9, 20, 0);
  assert.equal(startOfDay(monday, 'America/Los_Angeles'), utc(2026, 3, 9, 7, 0));
  assert.equal(startOfDay(monday, 'America/Los_Angeles', 1), utc(2026, 3, 8, 8, 0));
});
