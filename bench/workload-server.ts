import { Agent } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import type { StackStore } from '../src/store/stack-store.js';
import { rawRequest } from '../test/support/raw-request.js';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { tempFolder as exitRemovedFolder } from '../test/support/temp-folder.js';
import { cpuNanoseconds, interleavedMedians, medianMs } from './measure.js';
import type { HostWorkload } from './workload.js';

export const DAY = 86400;
export const SECRET = 'bench';

/** A temp folder lp-bench-`name`-XXXXXX, removed when the bench exits or is interrupted (Ctrl-C), a failed part included. */
export const tempFolder = (name: string): string => exitRemovedFolder(`bench-${name}`);

/** Milliseconds of CPU this process has used so far, every thread (lmdb's writer included). */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A backfill's cost: wall and CPU time of the whole, and of its closing maintenance (rollups) apart. */
export interface BackfillCost {
  entries: number;
  ms: number;
  cpuMs: number;
  maintenanceMs: number;
  maintenanceCpuMs: number;
}

/**
 * Writes one collection per host at each of `times`, then maintains the
 * store. Writes go in batches of at least 500 (a round of W4's thousand
 * hosts is one), and a batch is made while the one before it commits, never
 * more than two in flight: a server taking pushes, or pulls that finish at
 * their own pace, is never handed its writes in waves that each wait for the
 * last to be committed. Waves idle the main thread while lmdb commits and
 * the writer while the next wave is made, and cap each transaction at one
 * wave, where the store groups every write that arrives during a commit.
 */
export async function backfill(store: StackStore, hosts: HostWorkload[], times: number[]): Promise<BackfillCost> {
  let entries = 0;
  const started = performance.now();
  const startedCpu = processCpuMs();
  let batch: Promise<void>[] = [];
  let committing: Promise<unknown> = Promise.resolve();
  for (const time of times) {
    for (const host of hosts) {
      const collection = host.nextCollection();
      entries += collection.size;
      batch.push(store.write(host.name, time, collection));
    }
    if (batch.length >= 500) {
      await committing;
      committing = Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all([committing, ...batch]);
  const written = performance.now();
  const writtenCpu = processCpuMs();
  await store.maintain();
  const ended = performance.now();
  const endedCpu = processCpuMs();
  return { entries, ms: ended - started, cpuMs: endedCpu - startedCpu, maintenanceMs: ended - written, maintenanceCpuMs: endedCpu - writtenCpu };
}

/** Median milliseconds of `route` on `server`, the answer read whole. */
export async function queryMs(server: ServerProcess, route: string, runs: number): Promise<number> {
  return medianMs(runs, () => askServer(server, route));
}

/** Wall time of one answer, read whole, and the server's CPU time for it (all its threads), in ms. */
export type AnswerCost = [wallMs: number, serverCpuMs: number];

/** What `ask` costs: its wall time and the CPU time of process `pid` (all its threads) meanwhile. */
export async function answerCost(pid: number, ask: () => Promise<unknown>): Promise<AnswerCost> {
  const cpuBefore = cpuNanoseconds(pid);
  const started = performance.now();
  await ask();
  return [performance.now() - started, (cpuNanoseconds(pid) - cpuBefore) / 1e6];
}

/** Connections kept open between a benchmark's requests, as a browser keeps its own. */
const keptAlive = new Agent({ keepAlive: true });

/**
 * One request as a browser makes it: on a kept-alive connection, gzip
 * accepted, the answer read whole and inflated in one call (a browser
 * inflates in native code). Not fetch: Node's fetch inflates through web
 * streams, which cost the client 5–6 ms of CPU for a 440 KB (54 KB gzipped)
 * profile, more than the server spends building it, and that time landed
 * in every figure asked through it.
 */
export async function askHttp(origin: string, method: 'GET' | 'POST', path: string, body?: string): Promise<Buffer> {
  const answer = await rawRequest(origin, method, path, {
    headers: { 'accept-encoding': 'gzip' },
    parts: body === undefined ? [] : [Buffer.from(body)],
    agent: keptAlive,
  });
  const text = answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body;
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path}: HTTP ${answer.status} ${text.toString().slice(0, 300)}`);
  return text;
}

/** One answer of `route` on `server`, read whole (see askHttp). */
export async function askServer(server: ServerProcess, route: string): Promise<void> {
  await askHttp(server.url, 'GET', route);
}

/** Medians of AnswerCost for each of `routes` on `server`, asked in turn (see interleavedMedians). */
export function compareQueries(server: ServerProcess, routes: string[], runs: number): Promise<AnswerCost[]> {
  return interleavedMedians(runs, routes.map((route) => () => answerCost(server.child.pid!, () => askServer(server, route))));
}

export interface WorkloadServer {
  server: ServerProcess;
  folder: string;
  entries: number;
  /** What the backfill cost, rollups included. */
  ingest: BackfillCost;
  /** The last collection's time: the data ends here. */
  end: number;
}

/**
 * The server over a workload's store `folder`, keeping `answerCache` of
 * finished answers. The workloads' figures are the work of answering, so
 * their servers keep none ('0'); coldAndRepeated measures what keeping them saves.
 */
export function startWorkloadServer(folder: string, hosts: readonly string[], days: number, answerCache: string): Promise<ServerProcess> {
  const collector = `[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.map((host) => `${host}=127.0.0.1:9`).join(', ')}\ninterval = 86400\n`;
  return startServer(`retention = ${days + 1}d\n${collector}[store]\nanswer_cache = ${answerCache}\n`, { dbpath: folder, built: true });
}

/** Backfills `hosts` every `every` seconds over the last `days`, then starts the server on that store. */
export async function workloadServer(name: string, hosts: HostWorkload[], every: number, days: number): Promise<WorkloadServer> {
  const folder = tempFolder(name);
  const now = Math.floor(Date.now() / 1000);
  const times = Array.from({ length: (days * DAY) / every }, (_, i) => now - days * DAY + (i + 1) * every);
  const store = openStackStore({ path: folder, retentionSeconds: (days + 1) * DAY, maintenanceIntervalMs: 0 });
  const ingest = await backfill(store, hosts, times);
  const { entries, ms } = ingest;
  await store.close();
  console.error(`  ${name}: wrote ${entries.toLocaleString('en-US')} entries (${times.length * hosts.length} collections) in ${(ms / 1000).toFixed(1)} s`);
  const server = await startWorkloadServer(folder, hosts.map((host) => host.name), days, '0');
  return { server, folder, entries, ingest, end: times[times.length - 1] };
}
