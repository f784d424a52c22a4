import { readdirSync, readFileSync } from 'node:fs';

export { diskBytes } from '../src/operability/disk-bytes.js';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs before timing starts: the first calls pay for loading, learning stack shapes and JIT compilation. */
const WARM_UP_RUNS = 3;

/** Milliseconds `run` takes, as a median over `times` runs after a warm-up. */
export async function medianMs(times: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARM_UP_RUNS; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * Medians of several runs measured in turn (A, B, C, A, B, C, …) rather
 * than one after the other, so a change in the machine's load falls on all of
 * them alike; after the same warm-up as medianMs.
 */
export async function interleavedMedians<T extends number[]>(times: number, runs: Array<() => Promise<T>>): Promise<T[]> {
  for (let i = 0; i < WARM_UP_RUNS; i++) for (const run of runs) await run();
  const samples: T[][] = runs.map(() => []);
  for (let i = 0; i < times; i++) for (const [which, run] of runs.entries()) samples[which].push(await run());
  return samples.map((taken) => taken[0].map((_, column) => median(taken.map((sample) => sample[column]))) as T);
}

/** CPU time (ns) every thread of a process has used so far, at nanosecond resolution (Linux schedstat); threads that ended are not counted. */
export function cpuNanoseconds(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended while the folder was read.
    }
  }
  return total;
}

/** CPU time (ns) a process's main thread (its event loop) has used so far, as cpuNanoseconds. */
export function mainThreadCpuNanoseconds(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

/** Every process's command name and parent, from /proc, by pid. */
function processes(): Map<number, { command: string; parent: number }> {
  const found = new Map<number, { command: string; parent: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may hold spaces: the parent is the second field after it.
      const end = stat.lastIndexOf(')');
      found.set(Number(entry), { command: stat.slice(stat.indexOf('(') + 1, end), parent: Number(stat.slice(end + 2).split(' ')[1]) });
    } catch {
      // A process that ended while /proc was read.
    }
  }
  return found;
}

/**
 * CPU time (ns) used so far by the browsers this process launched and all
 * their processes (browser, GPU, network, renderers): every descendant of
 * each child process named `command`. A process that ended is not counted.
 */
export function childTreeCpuNanoseconds(command: string): number {
  const all = processes();
  const children = new Map<number, number[]>();
  for (const [pid, { parent }] of all) {
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [pid]);
    else siblings.push(pid);
  }
  const pending = (children.get(process.pid) ?? []).filter((pid) => all.get(pid)!.command === command);
  let total = 0;
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    pending.push(...(children.get(pid) ?? []));
    try {
      total += cpuNanoseconds(pid);
    } catch {
      // A process that ended since /proc was read.
    }
  }
  return total;
}

/** Peak resident memory of a process (Linux VmHWM), in bytes. */
export function peakRss(pid: number): number {
  return statusBytes(pid, 'VmHWM');
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc; clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  // The command name in parentheses may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process split as the kernel counts it (bytes): anonymous (heaps, buffers) and file-backed (code, mapped store pages). */
export interface ResidentSplit {
  rss: number;
  anonymous: number;
  fileBacked: number;
}

/** Resident bytes of process `pid`'s mappings that `matches` picks by their name (a path, [heap], or '' for anonymous): its smaps, summed. */
export function residentBytesOf(pid: number | 'self', matches: (name: string) => boolean): number {
  let bytes = 0;
  let picked = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) picked = matches(header[1]);
    else if (picked && line.startsWith('Rss:')) bytes += Number(/(\d+) kB/.exec(line)?.[1] ?? 0) * 1024;
  }
  return bytes;
}

/** Whether a mapping's name is an LMDB store's file. */
export const isStoreFile = (name: string): boolean => name.endsWith('/data.mdb');

/** Reads of `pid`'s memory fields (VmRSS, RssAnon, VmHWM…) as its /proc/PID/status held them at one moment, in bytes. */
function statusFields(pid: number): (field: string) => number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
}

/** One of a process's memory fields in /proc/PID/status, in bytes. */
export function statusBytes(pid: number, field: string): number {
  return statusFields(pid)(field);
}

/**
 * `pid`'s resident memory split as the kernel counts it, from its status:
 * the same counters smaps_rollup sums (its Rss and Anonymous), read without
 * walking the mappings. smaps_rollup walks them all, the store's 64 GB map
 * included: 5–6 ms a read on a server over W2's store (up to 45 under load),
 * which every 20 ms held the benchmark's event loop (its /healthz went from
 * 2–5 ms to 10–18) and the server's mmap lock; status takes 0.03 ms.
 */
export function residentSplit(pid: number): ResidentSplit {
  const bytes = statusFields(pid);
  const rss = bytes('VmRSS');
  const anonymous = bytes('RssAnon');
  return { rss, anonymous, fileBacked: rss - anonymous };
}

/** The highest sample of watchResident, with how much of its file-backed part was the store's mapped pages (the rest: code). */
export interface HighestResident extends ResidentSplit {
  storeMapped: number;
}

/**
 * A new highest sample is taken (its smaps read for the store's share) only
 * this far above the last: smaps walks every mapping, 7–14 ms a read over
 * W2's store, and a server whose memory creeps up a page at a time made one
 * each 20 ms sample, each holding the benchmark's event loop while it timed
 * answers.
 */
const HIGHEST_STEP_BYTES = 1024 ** 2;

/**
 * Samples process `pid`'s resident memory every `everyMs` and keeps the
 * sample with the most (to within HIGHEST_STEP_BYTES): VmHWM says how high
 * it went, this what that was made of (a sample may miss the very top by a
 * few MB). The whole smaps, for the store's share, is read only at a new
 * highest sample.
 */
export function watchResident(pid: number, everyMs = 20): { highest(): HighestResident; stop(): void } {
  let highest: HighestResident = { rss: 0, anonymous: 0, fileBacked: 0, storeMapped: 0 };
  const timer = setInterval(() => {
    try {
      const now = residentSplit(pid);
      if (now.rss >= highest.rss + HIGHEST_STEP_BYTES) highest = { ...now, storeMapped: residentBytesOf(pid, isStoreFile) };
    } catch {
      // The process ended between two samples.
    }
  }, everyMs);
  return { highest: () => highest, stop: () => clearInterval(timer) };
}
