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

export interface StepOptions {
  /** Default DEFAULT_MAX_STEPS. */
  maxSteps?: number;
  /**
   * Seconds between the data's collections (see dataInterval); default 1.
   * Steps are never finer, so a window never falls between two collections
   * and reads as a drop to zero.
   */
  dataInterval?: number;
}

/**
 * Picks the smallest nice step (beyond a day: 2, 5, 10, 20, 50... days) whose
 * windows, aligned to multiples of the step, cover from..until (inclusive)
 * in at most `maxSteps` windows, and that is no finer than the data: at
 * least `dataInterval` and, when that interval is one a collector schedule
 * runs at, a multiple of it, so each window holds the same number of
 * collections.
 */
export function timelineSteps(from: number, until: number, options: StepOptions = {}): TimelineSteps {
  const { maxSteps = DEFAULT_MAX_STEPS, dataInterval = 1 } = options;
  if (!(Number.isInteger(from) && Number.isInteger(until) && from <= until)) {
    throw new RangeError(`need whole seconds with from <= until, got ${from}..${until}`);
  }
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be at least 1, got ${maxSteps}`);
  if (!Number.isSafeInteger(dataInterval) || dataInterval < 1) {
    throw new RangeError(`dataInterval must be a whole number of seconds, at least 1, got ${dataInterval}`);
  }
  const evenly = isScheduleInterval(dataInterval);
  for (let index = 0; ; index += 1) {
    const step = niceStep(index);
    if (step < dataInterval || (evenly && step % dataInterval !== 0)) continue;
    const alignedFrom = Math.floor(from / step) * step;
    const steps = Math.floor((until - alignedFrom) / step) + 1;
    if (steps <= maxSteps) return { from: alignedFrom, until: alignedFrom + steps * step - 1, step, steps };
  }
}

/** Seconds a cron schedule repeats evenly at: dividing a minute, or whole minutes dividing an hour, or hours a day. */
function isScheduleInterval(seconds: number): boolean {
  return (
    (seconds <= 60 && 60 % seconds === 0) ||
    (seconds % 60 === 0 && seconds <= 3600 && 3600 % seconds === 0) ||
    (seconds % 3600 === 0 && DAY % seconds === 0)
  );
}

/** Collections looked at to tell how often a host's data arrives. */
export const INTERVAL_SAMPLE = 17;

/**
 * Seconds between collections, from the times of a host's recent ones
 * (newest first, as StackStore.sampleTimes gives them): the median gap, so a
 * missed collection or an extra one run by hand does not change it. Null
 * with fewer than two times.
 */
export function dataInterval(timesNewestFirst: readonly number[]): number | null {
  if (timesNewestFirst.length < 2) return null;
  const gaps = timesNewestFirst.slice(1).map((time, i) => timesNewestFirst[i] - time).sort((a, b) => a - b);
  return Math.max(1, gaps[(gaps.length - 1) >> 1]);
}

/** The index-th nice step, ascending without bound. */
export function niceStep(index: number): number {
  if (index < STEPS_UP_TO_A_DAY.length) return STEPS_UP_TO_A_DAY[index];
  const beyond = index - STEPS_UP_TO_A_DAY.length;
  return [2, 5, 10][beyond % 3] * 10 ** Math.floor(beyond / 3) * DAY;
}
