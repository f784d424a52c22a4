// @ts-check
// The "hide frames below N %" box: the user types a percentage, the API takes
// a fraction. Checked here, in the user's unit, so a mistake is explained
// with what they typed rather than with a fraction they never saw.

/**
 * @typedef {{ fraction: string, error?: undefined } | { error: string, fraction?: undefined }} ThresholdInput
 */

/** Digits with an optional fraction; no sign, exponent or hex. */
const PERCENT = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The fraction the API takes for the percentage typed in the box ('' for
 * none: an empty box or 0), or the reason it is not one.
 * @param {string} typed
 * @returns {ThresholdInput}
 */
export function readThresholdPercent(typed) {
  const text = typed.trim().replace(/%$/, '').trimEnd();
  if (text === '') return { fraction: '' };
  const percent = PERCENT.test(text) ? Number(text) : Number.NaN;
  if (!(percent >= 0 && percent <= 100)) {
    return { error: `threshold: '${typed.trim().slice(0, 40)}' is not a percentage between 0 and 100` };
  }
  return { fraction: percent === 0 ? '' : String(Number((percent / 100).toPrecision(6))) };
}

/**
 * The API's fraction (from the URL) as the percentage the box shows; '' when unset or unreadable.
 * @param {string} threshold
 */
export function thresholdPercent(threshold) {
  const fraction = Number(threshold);
  return threshold && Number.isFinite(fraction) ? String(Number((fraction * 100).toPrecision(6))) : '';
}
