import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEVEL_SECONDS } from '../../src/store/levels.js';
import { planRange, type RangePiece } from '../../src/store/plan-range.js';
import { prng } from './store-fixtures.js';

const DAY = 86_400;


function assertValidPlan(pieces: RangePiece[], from: number, end: number, rolledUntil: readonly number[]): void {
  let covered = from;
  for (const piece of pieces) {
    assert.equal(piece.start, covered, 'pieces tile the range in order, without gaps or overlap');
    assert.ok(piece.end > piece.start);
    const seconds = LEVEL_SECONDS[piece.level];
    assert.equal(piece.start % seconds, 0, 'coarse pieces start on their period');
    assert.equal(piece.end % seconds, 0, 'coarse pieces end on their period');
    if (piece.level > 0) assert.ok(piece.end <= rolledUntil[piece.level], 'coarse pieces only where rolled up');
    covered = piece.end;
  }
  assert.equal(covered, end);
}

describe('planRange', () => {
  const allRolled = [Infinity, 10 * DAY, 10 * DAY, 10 * DAY];

  it('uses whole days in the middle and finer levels at the edges', () => {
    const from = DAY - 3600 - 61; // 22:58:59 on day 0
    const end = 3 * DAY + 3600 + 61;
    assert.deepEqual(planRange(from, end, allRolled), [
      { level: 0, start: from, end: DAY - 3600 - 60 },
      { level: 1, start: DAY - 3600 - 60, end: DAY - 3600 },
      { level: 2, start: DAY - 3600, end: DAY },
      { level: 3, start: DAY, end: 3 * DAY },
      { level: 2, start: 3 * DAY, end: 3 * DAY + 3600 },
      { level: 1, start: 3 * DAY + 3600, end: 3 * DAY + 3660 },
      { level: 0, start: 3 * DAY + 3660, end },
    ]);
  });

  it('reads only level 0 where nothing is rolled up', () => {
    assert.deepEqual(planRange(100, 5 * DAY, [Infinity, -Infinity, -Infinity, -Infinity]), [{ level: 0, start: 100, end: 5 * DAY }]);
  });

  it('stops coarse pieces at the watermark and covers the rest with finer levels', () => {
    const rolledUntil = [Infinity, 2 * DAY + 7200 + 120, 2 * DAY + 7200, DAY];
    const pieces = planRange(0, 3 * DAY, rolledUntil);
    assertValidPlan(pieces, 0, 3 * DAY, rolledUntil);
    assert.deepEqual(pieces, [
      { level: 3, start: 0, end: DAY },
      { level: 2, start: DAY, end: 2 * DAY + 7200 },
      { level: 1, start: 2 * DAY + 7200, end: 2 * DAY + 7320 },
      { level: 0, start: 2 * DAY + 7320, end: 3 * DAY },
    ]);
  });

  it('plans an empty range as nothing and a one-second range as one level-0 piece', () => {
    assert.deepEqual(planRange(500, 500, allRolled), []);
    assert.deepEqual(planRange(3600, 3601, allRolled), [{ level: 0, start: 3600, end: 3601 }]);
  });

  it('tiles random ranges under random watermarks with at most two pieces per level', () => {
    const random = prng(7);
    for (let i = 0; i < 500; i++) {
      const rolled1 = Math.floor(random() * 40 * DAY);
      const rolled2 = rolled1 - Math.floor(random() * 5 * DAY);
      const rolledUntil = [Infinity, rolled1, rolled2, rolled2 - Math.floor(random() * 10 * DAY)];
      const from = Math.floor(random() * 40 * DAY);
      const end = from + Math.floor(random() * random() * 40 * DAY);
      const pieces = planRange(from, end, rolledUntil);
      assertValidPlan(pieces, from, end, rolledUntil);
      assert.ok(pieces.length <= 2 * LEVEL_SECONDS.length, `${pieces.length} pieces`);
    }
  });
});
