/**
 * Wall-clock times in an IANA time zone (`Europe/Berlin`, `UTC`), through the
 * runtime's Intl data: no zone table of our own, daylight saving included.
 */

/** A calendar date and time of day as a clock on the wall shows it. */
export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const UTC = 'UTC';
/** Longer than any IANA name; bounds what reaches Intl. */
const MAX_ZONE_NAME = 64;
/** Formatters are costly to build; a few zones are in use at any time. */
const MAX_CACHED_ZONES = 32;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` names a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > MAX_ZONE_NAME) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** What a clock in `zone` shows at Unix second `seconds`. */
export function wallTimeAt(seconds: number, zone: string): WallTime {
  if (zone === UTC) return utcWallTime(seconds);
  const fields: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(seconds * 1000)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return { year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute, second: fields.second };
}

/**
 * The Unix second at which a clock in `zone` shows `wall`. A time skipped by
 * a daylight-saving jump is read with the offset before the jump (02:30 on a
 * spring-forward night is 03:30); a time shown twice is its first showing.
 */
export function wallTimeToSeconds(wall: WallTime, zone: string): number {
  const asUtc = utcSeconds(wall);
  if (zone === UTC) return asUtc;
  // Zones change offset at most once a day: the offsets a day either side are the only candidates.
  const before = asUtc - offsetAt(asUtc - 86400, zone);
  const after = asUtc - offsetAt(asUtc + 86400, zone);
  const shows = (seconds: number) => utcSeconds(wallTimeAt(seconds, zone)) === asUtc;
  if (shows(before) && shows(after)) return Math.min(before, after);
  if (shows(after)) return after;
  return before;
}

/** Seconds the zone's clock is ahead of UTC at Unix second `seconds`. */
function offsetAt(seconds: number, zone: string): number {
  return utcSeconds(wallTimeAt(seconds, zone)) - seconds;
}

/** The first second of the calendar day `daysBack` days before the one containing `seconds`, in `zone`. */
export function startOfDay(seconds: number, zone: string, daysBack = 0): number {
  const today = wallTimeAt(seconds, zone);
  // Date.UTC rolls day 0 back into the previous month, and so on.
  const day = utcWallTime(Date.UTC(today.year, today.month - 1, today.day - daysBack) / 1000);
  return wallTimeToSeconds({ ...day, hour: 0, minute: 0, second: 0 }, zone);
}

function utcSeconds(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) / 1000;
}

function utcWallTime(seconds: number): WallTime {
  const date = new Date(seconds * 1000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}
