// The index's rows: series grouped by application, one row per set of the
// labels people chose. Labels agents add on their own (otel.*, process.*,
// __session_id__…) stay visible but do not split rows: a new runtime version
// would otherwise start a new row on every deploy. Pure: no DOM.

/**
 * @typedef {{ name: string, app: string, labels: Record<string, string>, configured: boolean,
 *   lastSuccess: number | null, lastError: { time: number, reason: string } | null, samplesLastHour: number }} HostListing
 * @typedef {{ title: string, selector: string, internal: string, hosts: HostListing[] }} SeriesRow
 * @typedef {{ app: string, selector: string, rows: SeriesRow[] }} AppGroup
 */

/** Labels an agent adds by itself; `__type__` (CPU or wall) is the user's business. */
export function isInternalLabel(name) {
  return name.startsWith('otel.') || name.startsWith('process.') || (name.startsWith('__') && name !== '__type__');
}

/**
 * Groups in the order apps first appear (configured hosts first, as /hosts
 * lists them); rows inside an app sorted by their labels.
 * @param {HostListing[]} hosts
 * @returns {AppGroup[]}
 */
export function groupSeries(hosts) {
  /** @type {Map<string, Map<string, HostListing[]>>} */
  const apps = new Map();
  for (const host of hosts) {
    const key = chosenLabels(host).map(([name, value]) => `${name}=${value}`).join(',');
    if (!apps.has(host.app)) apps.set(host.app, new Map());
    const rows = apps.get(host.app);
    rows.set(key, [...(rows.get(key) ?? []), host]);
  }
  return [...apps].map(([app, rows]) => {
    const labelNames = new Set([...rows.values()].flatMap((members) => chosenLabels(members[0]).map(([name]) => name)));
    return {
      app,
      selector: app,
      rows: [...rows.values()].map((members) => seriesRow(app, members, labelNames)).sort((a, b) => (a.title < b.title ? -1 : 1)),
    };
  });
}

/** @param {HostListing} host */
function chosenLabels(host) {
  return Object.entries(host.labels).filter(([name]) => !isInternalLabel(name)).sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * A row's selector names its labels and, as empty, the app's other label
 * names, so it reads exactly the series of the row.
 * @param {string} app
 * @param {HostListing[]} members
 * @param {Set<string>} labelNames
 * @returns {SeriesRow}
 */
function seriesRow(app, members, labelNames) {
  const labels = chosenLabels(members[0]);
  const own = new Set(labels.map(([name]) => name));
  // A series without __type__ reads as cpu, so its absence is not spelled "".
  const absent = [...labelNames].filter((name) => !own.has(name) && name !== '__type__');
  const matchers = [...labels, ...absent.map((name) => [name, ''])];
  const selector = matchers.length === 0 ? app : `${app}{${matchers.map(([name, value]) => `${name}="${quote(value)}"`).join(',')}}`;
  const internal = new Map();
  for (const host of members) {
    for (const [name, value] of Object.entries(host.labels)) {
      if (isInternalLabel(name)) internal.set(name, new Set([...(internal.get(name) ?? []), value]));
    }
  }
  return {
    title: labels.length === 0 ? app : labels.map(([name, value]) => `${name}=${value}`).join(', '),
    selector,
    internal: [...internal].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, values]) => `${name}=${[...values].join('|')}`).join(', '),
    hosts: members,
  };
}

/**
 * The series `_all` reads, as the server picks them: reads never mix profile
 * types, so only the CPU series when there are any (a series without
 * `__type__` is CPU samples), else those of the first type.
 * @param {HostListing[]} hosts
 */
export function seriesReadTogether(hosts) {
  const typeOf = (host) => host.labels.__type__ ?? 'cpu';
  const types = [...new Set(hosts.map(typeOf))].sort();
  const kept = types.includes('cpu') ? 'cpu' : types[0];
  return hosts.filter((host) => typeOf(host) === kept);
}

function quote(value) {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
}
