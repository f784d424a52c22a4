// @ts-check
// The zone the page shows times in: the browser's own ('local') or UTC,
// chosen by the `tz` URL parameter. Pure: reads only the browser's clock
// settings (Date, Intl), never the DOM.
//
// Where the zone is applied: times the page writes into the URL carry an
// explicit offset (2026-11-28T10:00:00-08:00), so a link names the same
// instants for whoever opens it, in any zone; and the API gets the shown
// zone as `tz` (an IANA name), so words like `today` mean the viewer's day.

/** @typedef {'local' | 'utc'} Zone */

/** @type {Zone} */
export const DEFAULT_ZONE = 'local';

/**
 * The zone a `tz` URL value names; anything else is the default.
 * @param {string | null} value
 * @returns {Zone}
 */
export function readZone(value) {
  return value === 'utc' ? 'utc' : DEFAULT_ZONE;
}

/**
 * The IANA name the API takes as `tz`.
 * @param {Zone} zone
 */
export function ianaZone(zone) {
  return zone === 'utc' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * What a clock in `zone` shows at a Unix second.
 * @param {number} unixSeconds
 * @param {Zone} zone
 */
function wallClock(unixSeconds, zone) {
  const d = new Date(unixSeconds * 1000);
  const utc = zone === 'utc';
  return {
    year: utc ? d.getUTCFullYear() : d.getFullYear(),
    month: (utc ? d.getUTCMonth() : d.getMonth()) + 1,
    day: utc ? d.getUTCDate() : d.getDate(),
    hour: utc ? d.getUTCHours() : d.getHours(),
    minute: utc ? d.getUTCMinutes() : d.getMinutes(),
    second: utc ? d.getUTCSeconds() : d.getSeconds(),
    /** Minutes the zone is ahead of UTC. */
    offset: utc ? 0 : -d.getTimezoneOffset(),
  };
}

/** @param {number} n */
const pad = (n) => String(n).padStart(2, '0');

/**
 * `YYYY-MM-DD HH:MM:SS` as a clock in `zone` shows it.
 * @param {number} unixSeconds
 * @param {Zone} zone
 */
export function formatInZone(unixSeconds, zone) {
  const t = wallClock(unixSeconds, zone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/**
 * The zone's short name at that time, as people read it: `UTC`, `PST`, `GMT+1`.
 * @param {number} unixSeconds
 * @param {Zone} zone
 */
export function zoneLabel(unixSeconds, zone) {
  if (zone === 'utc') return 'UTC';
  const parts = shortZoneNames().formatToParts(unixSeconds * 1000);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? offsetText(wallClock(unixSeconds, zone).offset);
}

/** Instants whose offsets tell the browser's zone from another: a winter's and a summer's. */
const WINTER = Date.UTC(2026, 0, 1);
const SUMMER = Date.UTC(2026, 6, 1);
/** @type {{ key: string, format: Intl.DateTimeFormat } | undefined} */
let shortZoneFormat;

/**
 * The formatter that names the browser's zone, made once: making one costs
 * 0.2-0.3 ms in Chromium (a page's first 25-60 ms) and using one some 4 µs,
 * and the index names the zone in two cells of every host's row each time
 * it refreshes. A formatter keeps the zone it was made in while Date follows
 * the system's, so one is made again when the zone's offsets change (a
 * laptop that travels with an index left open).
 */
function shortZoneNames() {
  const key = `${new Date(WINTER).getTimezoneOffset()},${new Date(SUMMER).getTimezoneOffset()}`;
  if (shortZoneFormat?.key !== key) shortZoneFormat = { key, format: new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }) };
  return shortZoneFormat.format;
}

/** @param {number} minutes  ahead of UTC */
function offsetText(minutes) {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * ISO 8601 in `zone` with its offset, as the inputs and the URL show an
 * absolute time: `2026-11-28T10:00:00-08:00`, `2026-11-28T18:00:00Z`.
 * @param {number} unixSeconds
 * @param {Zone} zone
 */
export function isoInZone(unixSeconds, zone) {
  const t = wallClock(unixSeconds, zone);
  return `${formatInZone(unixSeconds, zone).replace(' ', 'T')}${offsetText(t.offset)}`;
}

/** A date, optionally with a time of day, and no zone: one pass, anchored. */
const ZONELESS_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/** The form isoInZone writes. */
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A time as the user typed it, with a zone-less date and time read in the
 * shown zone and given its offset; every other form (`-1h`, `yesterday`,
 * Unix seconds, a time with an offset, and mistakes, which the server
 * explains) is returned as it was.
 * @param {string} text
 * @param {Zone} zone
 */
export function withExplicitZone(text, zone) {
  const match = ZONELESS_ISO.exec(text.trim());
  if (!match) return text;
  const [year, month, day, hour, minute, second] = match.slice(1).map((field) => Number(field ?? 0));
  if (hour > 23 || minute > 59 || second > 59) return text;
  const ms = zone === 'utc'
    ? Date.UTC(year, month - 1, day, hour, minute, second)
    : new Date(year, month - 1, day, hour, minute, second).getTime();
  const seconds = ms / 1000;
  const shown = wallClock(seconds, zone);
  // A date that rolled over (Feb 30) was not a real one: leave it for the server to refuse.
  if (shown.year !== year || shown.month !== month || shown.day !== day) return text;
  return isoInZone(seconds, zone);
}

/** Now, or a span back from it: `-15m`, `now-1h` (the server reads more relative forms; those get the zone to be safe). */
const RELATIVE = /^(?:now)?(?:-\d+[smhdw])?$/;

/**
 * Whether the server reads `text` the same in every zone: empty (the range's
 * default end), Unix seconds, now and spans back from it, and times with an
 * offset (as the page writes them). Calendar words (today) and times without
 * an offset need the zone.
 * @param {string} text
 */
export function isZoneFree(text) {
  return /^\d+$/.test(text) || RELATIVE.test(text) || ZONED_ISO.test(text);
}

/**
 * An absolute time the page wrote (isoInZone's form) re-expressed in another
 * zone; any other text unchanged, so a relative range stays relative.
 * @param {string} text
 * @param {Zone} zone
 */
export function inZone(text, zone) {
  if (!ZONED_ISO.test(text)) return text;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? isoInZone(Math.floor(ms / 1000), zone) : text;
}
