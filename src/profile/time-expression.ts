import { startOfDay, UTC, wallTimeToSeconds } from './time-zone.js';

/** Why a time expression could not be read; the message is fit for a user and lists the accepted forms. */
export class TimeExpressionError extends Error {
  constructor(problem: string) {
    super(`${problem}; accepted: ${ACCEPTED_FORMS}`);
    this.name = 'TimeExpressionError';
  }
}

export const ACCEPTED_FORMS =
  'Unix seconds, ISO 8601 (2024-05-01T12:00, with Z or +02:00, else read in tz), now, today, yesterday, ' +
  '-15m, now-1h, 2 hours ago, an hour ago, last 15 minutes, last week (units s, m, h, d, w)';

/** Which end of a range a time is: calendar words mean a day's start as `from` and its end as `until`. */
export type RangeEnd = 'from' | 'until';

export interface TimeExpressionOptions {
  /** Default 'from'. */
  end?: RangeEnd;
  /** IANA zone for ISO times without an offset and for today/yesterday; default UTC. */
  zone?: string;
}

/** Longer than any form we accept; bounds the work done on a query parameter. */
const MAX_LENGTH = 64;

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

/**
 * Date, then optionally time (T or one space) and offset; seconds may carry a
 * fraction. Anchored, and each part's characters differ from the next part's,
 * so a match or a failure takes one pass.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads a time as whole Unix seconds (floored).
 *
 * * Unix seconds; `now`; ISO 8601 (without an offset, the wall time in `zone`).
 * * Relative to now: `-15m`, `now-1h`, `now+5m`, `15 minutes ago`, `an hour ago`.
 * * `last 15 minutes`, `last hour`, `last week`: the span ending now, so as
 *   `from` it is its start (now - 15 min) and as `until` it is now.
 * * `today`, `yesterday`, calendar days in `zone`: as `from` the day's first
 *   second; as `until` its last second, or now when that is earlier. So
 *   `from=yesterday&until=yesterday` is all of yesterday and
 *   `from=today` is today so far.
 */
export function parseTimeExpression(text: string, nowSeconds: number, options: TimeExpressionOptions = {}): number {
  const { end = 'from', zone = UTC } = options;
  const now = Math.floor(nowSeconds);
  if (text.length > MAX_LENGTH) throw new TimeExpressionError(`'${text.slice(0, MAX_LENGTH)}…' is too long for a time`);
  const input = text.trim().toLowerCase();
  if (input === '') throw new TimeExpressionError('empty time');

  const iso = ISO_8601.exec(input);
  if (iso) return checked(text, isoSeconds(text, iso, zone));

  const words = tokenize(input);
  const seconds = words === null ? undefined : readTokens(text, words, now, end, zone);
  if (seconds === undefined) throw new TimeExpressionError(`cannot read '${text}' as a time`);
  return checked(text, seconds);
}

type WordToken = { kind: 'word'; value: string };
type Token = { kind: 'number'; value: number } | WordToken | { kind: 'sign'; value: '+' | '-' };

/** A word, or the word `value`. */
function isWord(token: Token | undefined, value?: string): token is WordToken {
  return token?.kind === 'word' && (value === undefined || token.value === value);
}

/** Numbers (`15`, `1.5`), words (`ago`, `h`) and signs, in one pass; null for any other character. */
function tokenize(input: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '+' || c === '-') {
      tokens.push({ kind: 'sign', value: c });
      i++;
    } else if (isDigit(c)) {
      const start = i;
      while (i < input.length && isDigit(input[i])) i++;
      if (input[i] === '.' && isDigit(input[i + 1] ?? '')) {
        i++;
        while (i < input.length && isDigit(input[i])) i++;
      }
      tokens.push({ kind: 'number', value: Number(input.slice(start, i)) });
    } else if (c >= 'a' && c <= 'z') {
      const start = i;
      while (i < input.length && input[i] >= 'a' && input[i] <= 'z') i++;
      tokens.push({ kind: 'word', value: input.slice(start, i) });
    } else {
      return null;
    }
  }
  return tokens;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** The forms made of tokens; undefined when the tokens make none of them. */
function readTokens(text: string, tokens: Token[], now: number, end: RangeEnd, zone: string): number | undefined {
  const [a, b, c, d] = tokens;
  /** `2` in `2 hours ago`, and the `an` of `an hour ago`. */
  const amount = (token: Token | undefined): number | undefined =>
    token?.kind === 'number' ? token.value : isWord(token, 'a') || isWord(token, 'an') ? 1 : undefined;
  const span = (count: number, unit: WordToken): number => count * unitSeconds(text, unit.value);

  switch (tokens.length) {
    case 1:
      if (a.kind === 'number') return Math.floor(a.value);
      if (isWord(a, 'now')) return now;
      if (isWord(a, 'today')) return calendarDay(now, zone, 0, end);
      if (isWord(a, 'yesterday')) return calendarDay(now, zone, 1, end);
      return undefined;
    case 2: // last hour
      if (isWord(a, 'last') && isWord(b)) return lastSpan(now, span(1, b), end);
      return undefined;
    case 3: {
      // -15m, 15 minutes ago, an hour ago, last 2 days
      if (a.kind === 'sign' && b.kind === 'number' && isWord(c)) return relative(now, a.value, span(b.value, c));
      const count = amount(a);
      if (count !== undefined && isWord(b) && isWord(c, 'ago')) return relative(now, '-', span(count, b));
      if (isWord(a, 'last') && b.kind === 'number' && isWord(c)) return lastSpan(now, span(b.value, c), end);
      return undefined;
    }
    case 4: // now-1h
      if (isWord(a, 'now') && b.kind === 'sign' && c.kind === 'number' && isWord(d)) return relative(now, b.value, span(c.value, d));
      return undefined;
    default:
      return undefined;
  }
}

function relative(now: number, sign: '+' | '-', seconds: number): number {
  return Math.floor(sign === '+' ? now + seconds : now - seconds);
}

/** `last 2 days`: the span ending now, so its start as `from` and now as `until`. */
function lastSpan(now: number, seconds: number, end: RangeEnd): number {
  return end === 'until' ? now : relative(now, '-', seconds);
}

/** `daysBack` days before today in `zone`: its first second as `from`, its last (at most now) as `until`. */
function calendarDay(now: number, zone: string, daysBack: number, end: RangeEnd): number {
  if (end === 'from') return startOfDay(now, zone, daysBack);
  return Math.min(now, startOfDay(now, zone, daysBack - 1) - 1);
}

function unitSeconds(text: string, unit: string): number {
  const seconds = UNIT_SECONDS.get(unit);
  if (seconds === undefined) throw new TimeExpressionError(`unknown unit '${unit}' in '${text}'`);
  return seconds;
}

function isoSeconds(text: string, match: RegExpExecArray, zone: string): number {
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', offset] = match;
  const wall = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  // Date.UTC rolls over (Feb 30 -> Mar 2); a rolled-over date was not a real one.
  const back = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  if (
    back.getUTCFullYear() !== wall.year || back.getUTCMonth() !== wall.month - 1 || back.getUTCDate() !== wall.day ||
    back.getUTCHours() !== wall.hour || back.getUTCMinutes() !== wall.minute || back.getUTCSeconds() !== wall.second
  ) {
    throw new TimeExpressionError(`'${text}' is not a real date and time`);
  }
  const fractionSeconds = Number('0.' + fraction);
  if (offset === undefined) return Math.floor(wallTimeToSeconds(wall, zone) + fractionSeconds);
  return Math.floor(back.getTime() / 1000 + fractionSeconds - offsetSeconds(text, offset));
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
