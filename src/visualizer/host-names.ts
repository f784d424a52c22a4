import { ALL_HOSTS } from '../host-name.js';
import { HttpError } from '../http-error.js';
import { parseSelector, selectorMatcher, SelectorError, type Selector } from '../series/selector.js';
import { readSeriesName, SERIES_TYPE_LABEL, type SeriesName } from '../series/series-name.js';
import type { StackStore, UnixSeconds } from '../store/stack-store.js';
import type { LastHourSamples } from './last-hour-samples.js';

export interface HostListing {
  name: string;
  /** The series' application and labels, so the index can group series by app. */
  app: string;
  labels: Record<string, string>;
  configured: boolean;
  lastSuccess: UnixSeconds | null;
  lastError: { time: UnixSeconds; reason: string } | null;
  samplesLastHour: number;
}

/** Configured hosts in config order, then hosts found only in the store, sorted. */
export function knownHosts(configured: readonly string[], store: StackStore): string[] {
  const names = new Set(configured);
  for (const name of store.hosts()) names.add(name);
  return [...names];
}

/**
 * The series a request for `selector` reads: a host or series name, an
 * application (`myapp`), labels (`myapp{region="eu"}`, `{region=~"eu.*"}`)
 * or `_all`. Reads never mix profile types: a selector that leaves
 * `__type__` open reads only the CPU series when it matches any, else only
 * the first type it matches. 400 for a selector that cannot be read, 404
 * for one that matches nothing (`_all` never does: it is everything, even
 * nothing).
 */
export function hostsToRead(selectorText: string, configured: readonly string[], store: StackStore): string[] {
  const selector = readSelector(selectorText);
  const matches = selectorMatcher(selector);
  const series = knownHosts(configured, store).filter((name) => matches(readSeriesName(name)));
  if (series.length === 0 && selectorText.trim() !== ALL_HOSTS) throw new HttpError(404, `unknown host: ${selectorText}`);
  return selector.matchers.some((matcher) => matcher.name === SERIES_TYPE_LABEL) ? series : oneProfileType(series);
}

function readSelector(text: string): Selector {
  try {
    return parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) throw new HttpError(400, `selector ${JSON.stringify(text)}: ${error.message}`);
    throw error;
  }
}

function oneProfileType(names: string[]): string[] {
  const typeOf = (name: string) => profileType(readSeriesName(name));
  const types = [...new Set(names.map(typeOf))].sort();
  const kept = types.includes('cpu') ? 'cpu' : types[0];
  return names.filter((name) => typeOf(name) === kept);
}

/** A series without the type label holds CPU samples (what liveprofiler's samplers send). */
function profileType(series: SeriesName): string {
  return series.labels.get(SERIES_TYPE_LABEL) ?? 'cpu';
}

/** Every label name of the known series, sorted; `__type__` always (every series has a type). */
export function labelNames(configured: readonly string[], store: StackStore): string[] {
  const names = new Set([SERIES_TYPE_LABEL]);
  for (const name of knownHosts(configured, store)) for (const label of readSeriesName(name).labels.keys()) names.add(label);
  return [...names].sort();
}

/** The values `label` takes among the known series, sorted; 404 when no series has it. */
export function labelValues(label: string, configured: readonly string[], store: StackStore): string[] {
  const values = new Set<string>();
  for (const name of knownHosts(configured, store)) {
    const series = readSeriesName(name);
    const value = label === SERIES_TYPE_LABEL ? profileType(series) : series.labels.get(label);
    if (value !== undefined) values.add(value);
  }
  if (values.size === 0) throw new HttpError(404, `no series has the label ${label}`);
  return [...values].sort();
}

/** The listing of `names` (knownHosts, or HostLists.knownHosts), `configured` being the config's hosts. */
export function listHosts(names: readonly string[], configured: readonly string[], store: StackStore, nowSeconds: UnixSeconds, lastHour: LastHourSamples): HostListing[] {
  const samples = lastHour.of(names, nowSeconds);
  return names.map((name, i) => {
    const { lastSuccess, lastError } = store.status(name);
    const { app, labels } = readSeriesName(name);
    return { name, app, labels: Object.fromEntries(labels), configured: configured.includes(name), lastSuccess, lastError, samplesLastHour: samples[i] };
  });
}
