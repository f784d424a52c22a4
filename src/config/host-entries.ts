import type { HostEntry } from './config.js';

/**
 * Reads the `hosts` list: `HOST:PORT` or a bare `HOST` (port 80, as the 2016
 * tool's `localhost,otherhost.fa`), both meaning the JSON sampler at
 * /liveprofiler, or a full URL fetched as written (a pprof endpoint such as
 * Go's /debug/pprof/profile?seconds=10), each optionally prefixed by
 * `label=`. Returns the entries, or the first problem as a sentence.
 */
export function parseHostEntries(text: string): HostEntry[] | string {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) return 'lists no hosts';
  const entries: HostEntry[] = [];
  for (const item of items) {
    const entry = parseHostEntry(item);
    if (typeof entry === 'string') return entry;
    if (entries.some((other) => other.name === entry.name)) return `names host "${entry.name}" twice`;
    entries.push(entry);
  }
  return entries;
}

function parseHostEntry(item: string): HostEntry | string {
  // A label is a prefix without ':' or '/', so the '=' of a URL's query is not mistaken for one.
  const equals = item.indexOf('=');
  const labelled = equals > 0 && !/[:/]/.test(item.slice(0, equals));
  const name = labelled ? item.slice(0, equals).trim() : item;
  const target = labelled ? item.slice(equals + 1).trim() : item;
  if (name === '_all') return 'uses the reserved name "_all"';
  if (/^https?:\/\//i.test(target)) {
    try {
      new URL(target);
      return { name, url: target };
    } catch {
      return `has an unreadable URL "${target}"`;
    }
  }
  if (!/^(\[[0-9a-f:.]+\]|[^\s/:[\]]+)(:\d{1,5})?$/i.test(target)) {
    return `has "${target}", which is neither HOST, HOST:PORT nor an http(s) URL`;
  }
  return { name, url: `http://${target}/liveprofiler` };
}
