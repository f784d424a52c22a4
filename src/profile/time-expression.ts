/** Why a time expression could not be read; the message is fit for a user. */
export class TimeExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeExpressionError';
  }
}

const FORMS_HINT = 'use Unix seconds, ISO 8601, now, -15m, now-1h, 2 hours ago';

const UNIT_SECONDS = new Map<string, number>();
for (const [seconds, names] of [
  [1, ['s', 'sec', 'secs', 'second', 'seconds']],
  [60, ['m', 'min', 'mins', 'minute', 'minutes']],
  [3600, ['h', 'hr', 'hrs', 'hour', 'hours']],
  [86400, ['d', 'day', 'days']],
  [604800, ['w', 'week', 'weeks']],
] as const) {
  for (const name of names) UNIT_SECONDS.set(name, seconds);
}

const UNIX_SECONDS = /^\d+(?:\.\d+)?$/;
/** `-15m`, `now-1h`, `now + 2 days`, `15 minutes ago`: sign, amount, unit. */
const RELATIVE = /^(?:(?:now\s*)?([-+])\s*(\d+(?:\.\d+)?)\s*([a-z]+)|(\d+(?:\.\d+)?)\s*([a-z]+)\s+ago)$/;
/** Date, then optionally time (T or one space) and offset; seconds may carry a fraction. */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads a time as whole Unix seconds (floored). Accepts Unix seconds, ISO 8601
 * (without an offset the time is UTC, so results do not depend on the server's
 * zone), `now`, and relative forms: `-15m`, `now-1h`, `15 minutes ago`.
 */
export function parseTimeExpression(text: string, nowSeconds: number): number {
  const input = text.trim().toLowerCase();
  if (input === '') throw new TimeExpressionError('empty time (' + FORMS_HINT + ')');
  if (input === 'now') return Math.floor(nowSeconds);
  if (UNIX_SECONDS.test(input)) return checked(text, Math.floor(Number(input)));

  const relative = RELATIVE.exec(input);
  if (relative) {
    const [, sign, amount, unit, agoAmount, agoUnit] = relative;
    const offset = Number(amount ?? agoAmount) * unitSeconds(text, unit ?? agoUnit);
    return checked(text, Math.floor(sign === '+' ? nowSeconds + offset : nowSeconds - offset));
  }

  const iso = ISO_8601.exec(input);
  if (iso) return checked(text, isoSeconds(text, iso));

  throw new TimeExpressionError(`cannot read '${text}' as a time (${FORMS_HINT})`);
}

function unitSeconds(text: string, unit: string): number {
  const seconds = UNIT_SECONDS.get(unit);
  if (seconds === undefined) {
    throw new TimeExpressionError(`unknown unit '${unit}' in '${text}' (use s, m, h, d or w)`);
  }
  return seconds;
}

function isoSeconds(text: string, match: RegExpExecArray): number {
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', offset = 'z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y, mo, d, h, mi, s] = fields;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls over (Feb 30 -> Mar 2); a rolled-over date was not a real one.
  const back = new Date(utc);
  if (
    back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d ||
    back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s
  ) {
    throw new TimeExpressionError(`'${text}' is not a real date and time`);
  }
  return Math.floor(utc / 1000 + Number('0.' + fraction) - offsetSeconds(text, offset));
}

function offsetSeconds(text: string, offset: string): number {
  if (offset === 'z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) throw new TimeExpressionError(`'${text}' has no such UTC offset '${offset}'`);
  return (offset[0] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

function checked(text: string, seconds: number): number {
  if (!Number.isSafeInteger(seconds)) throw new TimeExpressionError(`'${text}' is out of range`);
  if (seconds < 0) throw new TimeExpressionError(`'${text}' is before 1970`);
  return seconds;
}
