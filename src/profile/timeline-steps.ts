export const DEFAULT_MAX_STEPS = 240;

const DAY = 86400;
/** Steps people read at a glance: divisors of minutes, hours and a day. */
const STEPS_UP_TO_A_DAY = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, DAY,
];

/** Windows of a timeline: window i covers [from + i*step, from + (i+1)*step). */
export interface TimelineSteps {
  /** The range's start aligned down to a multiple of `step`. */
  from: number;
  /** The last second the windows cover: from + steps*step - 1. */
  until: number;
  step: number;
  steps: number;
}

/**
 * Picks the smallest nice step (beyond a day: 2, 5, 10, 20, 50... days) whose
 * windows, aligned to multiples of the step, cover from..until (inclusive)
 * in at most `maxSteps` windows.
 */
export function timelineSteps(from: number, until: number, maxSteps = DEFAULT_MAX_STEPS): TimelineSteps {
  if (!(Number.isInteger(from) && Number.isInteger(until) && from <= until)) {
    throw new RangeError(`need whole seconds with from <= until, got ${from}..${until}`);
  }
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be at least 1, got ${maxSteps}`);
  for (let index = 0; ; index += 1) {
    const step = niceStep(index);
    const alignedFrom = Math.floor(from / step) * step;
    const steps = Math.floor((until - alignedFrom) / step) + 1;
    if (steps <= maxSteps) return { from: alignedFrom, until: alignedFrom + steps * step - 1, step, steps };
  }
}

/** The index-th nice step, ascending without bound. */
export function niceStep(index: number): number {
  if (index < STEPS_UP_TO_A_DAY.length) return STEPS_UP_TO_A_DAY[index];
  const beyond = index - STEPS_UP_TO_A_DAY.length;
  return [2, 5, 10][beyond % 3] * 10 ** Math.floor(beyond / 3) * DAY;
}
