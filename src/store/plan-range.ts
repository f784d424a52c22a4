import { COARSEST_LEVEL, firstPeriodFrom, LEVEL_SECONDS, periodStart } from './levels.js';

/** The buckets of one level whose start lies in [start, end): one ordered scan. */
export interface RangePiece {
  level: number;
  start: number;
  end: number;
}

/**
 * Splits [from, end) into pieces, each a run of whole buckets of one level,
 * using the coarsest buckets that fit and are built, and finer ones at the
 * edges: at most two pieces per level, whatever the range's length.
 * `rolledUntil[level]` (level >= 1): every period of that level ending at or
 * before it has been built, except those starting before retention's cutoff,
 * which no range reaches. Level 0 is always complete.
 */
export function planRange(from: number, end: number, rolledUntil: readonly number[]): RangePiece[] {
  const pieces: RangePiece[] = [];
  planLevel(COARSEST_LEVEL, from, end, rolledUntil, pieces);
  return pieces;
}

function planLevel(
  level: number,
  from: number,
  end: number,
  rolledUntil: readonly number[],
  pieces: RangePiece[],
): void {
  if (from >= end) return;
  if (level === 0) {
    pieces.push({ level, start: from, end });
    return;
  }
  const seconds = LEVEL_SECONDS[level];
  const start = firstPeriodFrom(from, seconds);
  const stop = Math.min(periodStart(end, seconds), periodStart(rolledUntil[level] ?? -Infinity, seconds));
  if (start >= stop) {
    planLevel(level - 1, from, end, rolledUntil, pieces);
    return;
  }
  planLevel(level - 1, from, start, rolledUntil, pieces);
  pieces.push({ level, start, end: stop });
  planLevel(level - 1, stop, end, rolledUntil, pieces);
}
