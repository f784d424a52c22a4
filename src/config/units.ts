/** Parsers for the config's human-friendly values; each returns null when it cannot read the text. */

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `30d`, `12h`, `90m`, `45s`, `2w`, or plain seconds -> seconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw]?)$/i.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * DURATION_UNITS[(match[2] || 's').toLowerCase()];
  return seconds > 0 ? seconds : null;
}

/** Seconds -> the largest unit that writes them whole (`30d`, `90m`, `45s`): parseDuration's inverse. */
export function formatDuration(seconds: number): string {
  const units = Object.entries(DURATION_UNITS).sort(([, a], [, b]) => b - a);
  const [unit, size] = units.find(([, size]) => seconds % size === 0) ?? ['s', 1];
  return `${seconds / size}${unit}`;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `16MB`, `512kb`, `1048576` -> bytes. */
export function parseSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?b?)$/i.exec(text.trim());
  if (!match) return null;
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()]);
  return bytes > 0 ? bytes : null;
}

/** Positive number of seconds, decimals allowed (`0.01`, `2`). */
export function parsePositiveNumber(text: string): number | null {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text.trim())) return null;
  const value = Number(text);
  return value > 0 ? value : null;
}

/** Whole number above zero (`512`). */
export function parsePositiveInteger(text: string): number | null {
  const value = parsePositiveNumber(text);
  return value !== null && Number.isSafeInteger(value) ? value : null;
}

export function parsePort(text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const port = Number(text);
  return port >= 0 && port <= 65535 ? port : null;
}

/** Python-style booleans, as the 2016 config uses them (`enabled = 1`). */
export function parseBoolean(text: string): boolean | null {
  const value = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(value)) return false;
  return null;
}
