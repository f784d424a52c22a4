import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataInterval, niceStep, timelineSteps } from '../../src/profile/timeline-steps.js';

test('nice steps run 1 s to a day, then 2, 5, 10, 20, 50... days', () => {
  const steps = Array.from({ length: 24 }, (_, index) => niceStep(index));
  assert.deepEqual(steps, [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    2 * 86400, 5 * 86400, 10 * 86400, 20 * 86400, 50 * 86400, 100 * 86400,
  ]);
});

test('a short range gets one-second steps', () => {
  assert.deepEqual(timelineSteps(1000, 1009), { from: 1000, until: 1009, step: 1, steps: 10 });
});

test('a single second is one window', () => {
  assert.deepEqual(timelineSteps(1234, 1234), { from: 1234, until: 1234, step: 1, steps: 1 });
});

test('exactly 240 seconds fit in 240 one-second steps; 241 do not', () => {
  assert.deepEqual(timelineSteps(0, 239), { from: 0, until: 239, step: 1, steps: 240 });
  assert.deepEqual(timelineSteps(0, 240), { from: 0, until: 241, step: 2, steps: 121 });
});

test('from is aligned down to the step and the windows reach past until', () => {
  // One hour from 10:07:13 needs 30 s steps; from is pulled back to 10:07:00.
  const from = 1714557600 + 7 * 60 + 13;
  const result = timelineSteps(from, from + 3599);
  assert.equal(result.step, 30);
  assert.equal(result.from, 1714557600 + 7 * 60);
  assert.equal(result.from % result.step, 0);
  assert.equal(result.until, result.from + result.steps * result.step - 1);
  assert.ok(result.until >= from + 3599);
  assert.ok(result.steps <= 240);
});

test('alignment may push a range to the next step when it would overflow', () => {
  // 240 s starting mid-window: 240 one-second windows suffice only when aligned.
  assert.equal(timelineSteps(100, 339).step, 1);
  // 479 s from an odd second needs 241 two-second windows after alignment, so 5 s.
  assert.deepEqual(timelineSteps(1, 479), { from: 0, until: 479, step: 2, steps: 240 });
  assert.deepEqual(timelineSteps(1, 480), { from: 0, until: 484, step: 5, steps: 97 });
});

test('common ranges get the steps a person expects', () => {
  const now = 1714564800;
  const cases: Array<[number, number]> = [
    [5 * 60, 2],
    [15 * 60, 5],
    // 3600 one-second windows ending at a round second span 241 aligned 15 s windows.
    [3600, 30],
    [6 * 3600, 120],
    [24 * 3600, 600],
    [7 * 86400, 3600],
    [30 * 86400, 6 * 3600],
  ];
  for (const [span, step] of cases) assert.equal(timelineSteps(now - span + 1, now).step, step, `${span} s`);
});

test('everything since 1970 still fits', () => {
  const result = timelineSteps(0, 1714564800);
  assert.equal(result.step, 100 * 86400);
  assert.ok(result.steps <= 240);
});

test('a custom maximum number of steps', () => {
  assert.deepEqual(timelineSteps(0, 99, { maxSteps: 10 }), { from: 0, until: 99, step: 10, steps: 10 });
  assert.equal(timelineSteps(5, 6, { maxSteps: 1 }).steps, 1);
});

test('a reversed or fractional range is refused', () => {
  assert.throws(() => timelineSteps(10, 9), RangeError);
  assert.throws(() => timelineSteps(0.5, 9), RangeError);
  assert.throws(() => timelineSteps(0, 9, { maxSteps: 0 }), RangeError);
  assert.throws(() => timelineSteps(0, 9, { dataInterval: 0 }), RangeError);
  assert.throws(() => timelineSteps(0, 9, { dataInterval: 1.5 }), RangeError);
});

test('steps are never finer than the data: with one collection a minute, ten minutes are ten or eleven one-minute windows', () => {
  const now = 1714564800;
  assert.deepEqual(timelineSteps(now - 600, now, { dataInterval: 60 }), { from: now - 600, until: now + 59, step: 60, steps: 11 });
  // Without the data's interval the same range would be cut into 5 s windows, most holding no collection.
  assert.equal(timelineSteps(now - 600, now).step, 5);
  // A range longer than the interval needs keeps the step the range needs.
  assert.equal(timelineSteps(now - 7 * 86400, now, { dataInterval: 60 }).step, 3600);
  // A single second still gets one window of the data's interval.
  assert.deepEqual(timelineSteps(now + 7, now + 7, { dataInterval: 10 }), { from: now, until: now + 9, step: 10, steps: 1 });
});

test('a schedule\'s interval gets a step that is a multiple of it, so every window holds as many collections', () => {
  const cases: Array<[number, number]> = [[1, 1], [2, 2], [3, 15], [4, 60], [6, 30], [10, 10], [12, 60], [20, 60], [60, 60], [240, 3600], [3600, 3600], [7200, 7200], [86400, 86400]];
  for (const [interval, step] of cases) {
    assert.equal(timelineSteps(0, 59, { dataInterval: interval }).step, step, `every ${interval} s`);
  }
});

test('any other interval gets the next nice step above it', () => {
  assert.equal(timelineSteps(0, 59, { dataInterval: 7 }).step, 10);
  assert.equal(timelineSteps(0, 59, { dataInterval: 45 }).step, 60);
  assert.equal(timelineSteps(0, 59, { dataInterval: 90 }).step, 120);
  assert.equal(timelineSteps(0, 59, { dataInterval: 864 }).step, 900);
  assert.equal(timelineSteps(0, 59, { dataInterval: 61 }).step, 120);
  assert.equal(timelineSteps(0, 59, { dataInterval: 7 * 86400 }).step, 10 * 86400);
});

test("a host's data interval is the median gap between its collections", () => {
  const minute = (n: number) => 1714564800 - n * 60;
  assert.equal(dataInterval([minute(0), minute(1), minute(2), minute(3)]), 60);
  // A missed collection and one run by hand in between do not move the median.
  assert.equal(dataInterval([minute(0), minute(1), minute(3), minute(4), minute(4) - 17, minute(5), minute(6)]), 60);
  assert.equal(dataInterval([100, 90, 80, 69, 60, 50]), 10);
  assert.equal(dataInterval([5, 3]), 2);
  assert.equal(dataInterval([7]), null);
  assert.equal(dataInterval([]), null);
});
