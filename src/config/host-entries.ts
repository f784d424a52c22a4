import { hostNameProblem } from '../host-name.js';
import { firstUnprintable } from '../printable-text.js';
import { redactUrl } from '../redact-url.js';
import type { HostEntry } from './config.js';

/**
 * Reads the `hosts` list: `HOST:PORT` or a bare `HOST` (port 80, as the 2016
 * tool's `localhost,otherhost.fa`), both meaning the JSON sampler at
 * /liveprofiler, or a full URL fetched as written (a pprof endpoint such as
 * Go's /debug/pprof/profile?seconds=10), each optionally prefixed by
 * `label=`. Returns the entries, or the first problem as a sentence (never
 * quoting a secret).
 */
export function parseHostEntries(text: string): HostEntry[] | string {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) return 'lists no hosts';
  const entries: HostEntry[] = [];
  for (const item of items) {
    const entry = parseHostEntry(item);
    if (typeof entry === 'string') return entry;
    if (entries.some((other) => other.name === entry.name)) {
      return `names host "${entry.name}" twice; give each entry its own label (label=URL)`;
    }
    entries.push(entry);
  }
  return entries;
}

function parseHostEntry(item: string): HostEntry | string {
  // A label is a prefix without ':' or '/', so the '=' of a URL's query is not mistaken for one.
  const equals = item.indexOf('=');
  const labelled = equals > 0 && !/[:/]/.test(item.slice(0, equals));
  const target = labelled ? item.slice(equals + 1).trim() : item;
  // Unlabelled, the entry names the host: shown on pages, in URLs and logs, so without its secrets.
  const name = labelled ? item.slice(0, equals).trim() : redactUrl(item);
  const problem = hostNameProblem(name);
  // A name with unprintable characters is not quoted: the message must stay one clean line.
  if (problem !== null) return firstUnprintable(name) === null ? `host name "${name}" ${problem}` : `a host name ${problem}`;
  if (/^https?:\/\//i.test(target)) {
    try {
      new URL(target);
      return { name, url: target };
    } catch {
      return `has an unreadable URL "${redactUrl(target)}"`;
    }
  }
  if (!/^(\[[0-9a-f:.]+\]|[^\s/:[\]]+)(:\d{1,5})?$/i.test(target)) {
    return `has "${redactUrl(target)}", which is neither HOST, HOST:PORT nor an http(s) URL`;
  }
  return { name, url: `http://${target}/liveprofiler` };
}
