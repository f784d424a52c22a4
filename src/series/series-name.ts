/**
 * A series: what the store keys samples by. Its canonical name is
 * `APP{k=v,…}` with labels sorted by name, or plain `APP` without labels
 * (every configured host is one: its label or its entry as written).
 */
export interface SeriesName {
  app: string;
  labels: ReadonlyMap<string, string>;
}

/** The label saying what a pushed profile sampled (`cpu` or `wall`); absent means CPU. */
export const SERIES_TYPE_LABEL = '__type__';

export function formatSeriesName(series: SeriesName): string {
  if (series.labels.size === 0) return series.app;
  const labels = [...series.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${series.app}{${labels.map(([name, value]) => `${name}=${value}`).join(',')}}`;
}

/**
 * Reads a stored name back. Names we wrote are canonical; anything else (a
 * configured host such as `10.0.0.1:8080` or a URL) is an application
 * without labels.
 */
export function readSeriesName(name: string): SeriesName {
  const brace = name.indexOf('{');
  if (brace <= 0 || !name.endsWith('}')) return { app: name, labels: new Map() };
  const labels = new Map<string, string>();
  for (const pair of name.slice(brace + 1, -1).split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0 || labels.has(pair.slice(0, equals))) return { app: name, labels: new Map() };
    labels.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return { app: name.slice(0, brace), labels };
}
