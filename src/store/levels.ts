/**
 * Seconds per bucket at each resolution level. Level 0 is written at ingest;
 * each coarser level is the sum of the finer one's buckets inside its period.
 */
export const LEVEL_SECONDS: readonly number[] = [1, 60, 3600, 86400];

export const COARSEST_LEVEL = LEVEL_SECONDS.length - 1;

/** Start of the period of `seconds` that contains `time`. */
export function periodStart(time: number, seconds: number): number {
  return Math.floor(time / seconds) * seconds;
}

/** Start of the first period of `seconds` that starts at or after `time`. */
export function firstPeriodFrom(time: number, seconds: number): number {
  return Math.ceil(time / seconds) * seconds;
}
