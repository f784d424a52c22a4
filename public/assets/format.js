// Numbers and times as the pages show them.

/** Made on first use: the page's first Intl call sets up ICU, and importing this module should not be it. */
let countFormat;

export function formatCount(n) {
  countFormat ??= new Intl.NumberFormat('en-US');
  return countFormat.format(n);
}

/** `part` as a percentage of `whole`, with enough digits that small shares are not shown as 0. */
export function formatPercent(part, whole) {
  if (!whole) return '0%';
  const percent = (100 * part) / whole;
  if (percent === 0 || percent >= 10) return `${percent.toFixed(1)}%`;
  return `${percent.toPrecision(2)}%`;
}

/** How long ago `then` was, seen from `now` (both Unix seconds, both from the server's clock). */
export function formatAgo(then, now) {
  const seconds = Math.max(0, now - then);
  if (seconds < 5) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}
