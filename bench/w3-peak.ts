/**
 * What the W3 server's peak resident memory is made of: the W3 bench's
 * queries (run.ts fleetOneDay, the page's own requests asked over HTTP
 * rather than drawn in a browser) against a server over the W3 store, its
 * memory sampled all along and, at the highest sample, split by mapping:
 * the store's mapped pages, other files (code), the C heap's main arena,
 * and the anonymous mappings by size (V8's spaces, thread arenas, stacks).
 *
 *   node --import tsx bench/w3-peak.ts   (W3_PEAK_FOLDER=<dir> keeps the
 *   store between runs; BENCH_RUNS=N, default 7)
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpuNanoseconds, isStoreFile, peakRss, residentBytesOf, residentSplit } from './measure.js';
import { loadAverage } from './report.js';
import { askServer, backfill, DAY, startWorkloadServer, tempFolder } from './workload-server.js';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { hostWorkload } from './workload.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const EVERY = 10;

const hosts = Array.from({ length: 10 }, (_, i) => hostWorkload(`w3-${i}`, 300 + i));
const kept = process.env.W3_PEAK_FOLDER;
const folder = kept ?? tempFolder('w3-peak');
if (kept === undefined || !existsSync(`${kept}/data.mdb`)) {
  mkdirSync(folder, { recursive: true });
  const now = Math.floor(Date.now() / 1000);
  const times = Array.from({ length: DAY / EVERY }, (_, i) => now - DAY + (i + 1) * EVERY);
  const store = openStackStore({ path: folder, retentionSeconds: 2 * DAY, maintenanceIntervalMs: 0 });
  await backfill(store, hosts, times);
  await store.close();
}

/** Resident kB of each kind of mapping of process `pid`. */
function residentByKind(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  let kind = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[3];
      const sizeMb = (parseInt(header[2], 16) - parseInt(header[1], 16)) / 1024 ** 2;
      kind = isStoreFile(name) ? 'store' : name.startsWith('/') ? 'files' : name !== '' ? name : sizeMb >= 60 ? 'anon ≥60 MB (arenas)' : sizeMb >= 1 ? `anon 1-60 MB` : 'anon <1 MB';
    } else if (line.startsWith('Rss:')) kinds[kind] = (kinds[kind] ?? 0) + Number(/(\d+) kB/.exec(line)?.[1] ?? 0);
  }
  return kinds;
}

const server = await startWorkloadServer(folder, hosts.map((host) => host.name), 1, '0');
const pid = server.child.pid!;
let phase = 'start';
let highest = { rss: 0, phase, kinds: {} as Record<string, number>, anonymous: 0, at: 0 };
const timer = setInterval(() => {
  try {
    const now = residentSplit(pid);
    if (now.rss > highest.rss) highest = { rss: now.rss, phase, kinds: residentByKind(pid), anonymous: now.anonymous, at: Date.now() };
  } catch {
    // ended
  }
}, 20);
const phaseEnds: string[] = [];
async function run(name: string, times: number, ask: () => Promise<unknown>): Promise<void> {
  phase = name;
  const started = performance.now();
  const cpuBefore = cpuNanoseconds(pid);
  for (let i = 0; i < times; i++) await ask();
  const cpuMs = (cpuNanoseconds(pid) - cpuBefore) / 1e6 / times;
  const { rss, anonymous } = residentSplit(pid);
  const mb = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);
  phaseEnds.push(`${name}: ${((performance.now() - started) / times).toFixed(0)} ms each, server CPU ${cpuMs.toFixed(0)} ms; VmHWM ${mb(peakRss(pid))} MB, now ${mb(rss)} MB: store ${mb(residentBytesOf(pid, isStoreFile))}, anonymous ${mb(anonymous)}`);
}
try {
  await run('started', 0, async () => {});
  const day = '?from=-24h&until=now';
  const n = RUNS + 3;
  const phases: Record<string, [times: number, ask: () => Promise<unknown>]> = {
    'profile one host': [n, () => askServer(server, `/profile/w3-0/${day}`)],
    'profile _all': [n, () => askServer(server, `/profile/_all/${day}`)],
    'functions _all': [n, () => askServer(server, `/functions/_all/${day}`)],
    'diff _all': [n, () => askServer(server, `/diff/_all/${day}&base_host=w3-0&base_from=-24h&base_until=now`)],
    'profile _all again': [2 * n, () => askServer(server, `/profile/_all/${day}`)],
    'timeline _all': [n, () => askServer(server, `/timeline/_all/${day}`)],
    'page _all': [3 * n, async () => {
      await askServer(server, `/graph/_all/${day}`);
      await Promise.all([askServer(server, `/profile/_all/${day}&format=compact`), askServer(server, `/timeline/_all/${day}`)]);
    }],
  };
  /** W3_PEAK_PHASES=a,b picks and orders them; default the bench's order. */
  const chosen = process.env.W3_PEAK_PHASES?.split(',') ?? Object.keys(phases).filter((name) => name !== 'timeline _all');
  for (const name of chosen) await run(name, ...phases[name]);
} finally {
  clearInterval(timer);
  const hwm = peakRss(pid);
  await server.stop();
  console.log(phaseEnds.join('\n'));
  console.log(`VmHWM ${(hwm / 1024 ** 2).toFixed(0)} MB; highest sample ${(highest.rss / 1024 ** 2).toFixed(0)} MB during "${highest.phase}", anonymous ${(highest.anonymous / 1024 ** 2).toFixed(0)} MB, at ${highest.at}`);
  console.log(Object.entries(highest.kinds).sort((a, b) => b[1] - a[1]).map(([kind, kB]) => `  ${kind}: ${(kB / 1024).toFixed(1)} MB`).join('\n'));
  console.log(loadAverage());
}
