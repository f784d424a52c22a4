import { setTimeout as sleep } from 'node:timers/promises';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../test/support/fake-sampler.js';
import { parseExposition, sampleValue } from '../test/support/prometheus-exposition.js';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { percentile, probeWhile } from './push-event-loop.js';
import { loadAverage, report } from './report.js';
import { askServer, backfill, DAY, SECRET, tempFolder } from './workload-server.js';
import { fleetWorkload } from './workload.js';

const HOSTS = 50;
const READERS = 10;
const PHASE_SECONDS = Number(process.env.READERS_SECONDS ?? 20);

interface Counters {
  ticks: number;
  tickSeconds: number;
  skipped: number;
  /** The server process's CPU, every thread. */
  cpuSeconds: number;
  /** Queries a worker built, and requests that joined an identical one's build instead. */
  built: number;
  joined: number;
}

async function counters(server: ServerProcess): Promise<Counters> {
  // Only our own families: prom-client's default ones may read "Nan" before their first sample.
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const scrape = parseExposition(text.split('\n').filter((line) => line.includes('liveprofiler_') || line.startsWith('process_cpu_seconds_total')).join('\n'));
  const skipped = scrape.samples
    .filter((sample) => sample.name === 'liveprofiler_host_collections_total' && sample.labels.outcome === 'skipped')
    .reduce((sum, sample) => sum + sample.value, 0);
  const labels = { trigger: 'schedule' };
  return {
    ticks: sampleValue(scrape, 'liveprofiler_collection_duration_seconds_count', labels) ?? 0,
    tickSeconds: sampleValue(scrape, 'liveprofiler_collection_duration_seconds_sum', labels) ?? 0,
    skipped,
    cpuSeconds: sampleValue(scrape, 'process_cpu_seconds_total') ?? 0,
    built: sampleValue(scrape, 'liveprofiler_queries_total', { outcome: 'answered' }) ?? 0,
    joined: sampleValue(scrape, 'liveprofiler_query_joins_total') ?? 0,
  };
}

interface Phase {
  /** Mean time of a collection round (a tick over all 50 hosts), ms. */
  roundMs: number;
  ticks: number;
  /** Host pulls skipped because the host's previous pull was still running. */
  skipped: number;
  hostsP99: number;
  readerMedian: number;
  readerP99: number;
  reads: number;
  /** Server CPU over the phase, every thread. */
  cpuSeconds: number;
  built: number;
  joined: number;
}

/** Runs the schedule for PHASE_SECONDS with `readers` clients reading `/profile/_all/?from=-1h` back to back. */
async function phase(server: ServerProcess, readers: number): Promise<Phase> {
  const before = await counters(server);
  const readLatencies: number[] = [];
  const deadline = performance.now() + PHASE_SECONDS * 1000;
  const hostsLatencies = await probeWhile(server, '/hosts', async () => {
    await Promise.all(
      Array.from({ length: readers }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          await askServer(server, '/profile/_all/?from=-1h&until=now');
          readLatencies.push(performance.now() - started);
        }
      }),
    );
    await sleep(Math.max(0, deadline - performance.now()));
  });
  const after = await counters(server);
  const ticks = after.ticks - before.ticks;
  return {
    roundMs: ((after.tickSeconds - before.tickSeconds) / ticks) * 1000,
    ticks,
    skipped: after.skipped - before.skipped,
    hostsP99: percentile(hostsLatencies, 99),
    readerMedian: readLatencies.length ? percentile(readLatencies, 50) : NaN,
    readerP99: readLatencies.length ? percentile(readLatencies, 99) : NaN,
    reads: readLatencies.length,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    built: after.built - before.built,
    joined: after.joined - before.joined,
  };
}

/**
 * Issue 12: 50 loopback samplers (500 stacks each) collected every second
 * by the real server, over a store already holding the last hour of those
 * hosts; the same stretch of schedule idle, then under 10 readers of
 * `/profile/_all/?from=-1h`. Round times come from the server's own
 * /metrics (mean over the phase), skipped pulls too.
 */
export async function readersVsCollection(): Promise<void> {
  console.error(`Collection of ${HOSTS} hosts every second, idle then under ${READERS} readers of /profile/_all/?from=-1h (${PHASE_SECONDS} s each)`);
  const workloads = fleetWorkload('s', HOSTS, 12, 1000);
  const folder = tempFolder('readers');
  const now = Math.floor(Date.now() / 1000);
  const store = openStackStore({ path: folder, retentionSeconds: DAY, maintenanceIntervalMs: 0 });
  await backfill(store, workloads, Array.from({ length: 360 }, (_, i) => now - 3600 + i * 10));
  await store.close();
  const samplers: FakeSampler[] = [];
  for (const workload of workloads) {
    const stacks = [...workload.nextCollection()].map(([frame, count]) => ({ frame, count }));
    const body = JSON.stringify({ elapsed: 1, granularity: 0.01, stacks: stacks.slice(0, 500) });
    samplers.push(await startFakeSampler(liveprofilerHandler(SECRET, () => body)));
  }
  const hosts = samplers.map((sampler, i) => `s${i}=${sampler.hostPort}`).join(', ');
  const server = await startServer(`retention = 1d\n[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts}\ninterval = 1\n`, { dbpath: folder, built: true, logLevel: 'info' });
  try {
    await sleep(3000);
    const idle = await phase(server, 0);
    console.error(`  idle: ${JSON.stringify(idle)}; ${loadAverage()}`);
    const loaded = await phase(server, READERS);
    console.error(`  ${READERS} readers: ${JSON.stringify(loaded)}; ${loadAverage()}`);
    report(`50-host round every 1 s, idle (mean of ${idle.ticks} rounds)`, idle.roundMs, 'ms', null);
    report(`50-host round under ${READERS} /profile/_all 1h readers (mean of ${loaded.ticks} rounds)`, loaded.roundMs, 'ms', 2 * idle.roundMs);
    report(`host pulls skipped under readers (of ${PHASE_SECONDS * HOSTS} due; idle: ${idle.skipped})`, loaded.skipped, 'pulls', 0);
    report(`/hosts p99 under readers (idle: ${idle.hostsP99.toFixed(1)} ms)`, loaded.hostsP99, 'ms', 50);
    report(`/profile/_all 1h under ${READERS} readers, p50 / p99 ${loaded.readerP99.toFixed(0)} ms (${loaded.reads} reads)`, loaded.readerMedian, 'ms', null);
    // Identical asks under way share one build (shared-builds.ts): the readers' asks that joined another's.
    const readCpuMs = ((loaded.cpuSeconds - idle.cpuSeconds) * 1000) / loaded.reads;
    report(`server CPU per /profile/_all read beyond the idle phase's (${loaded.built} built, ${loaded.joined} joined)`, readCpuMs, 'ms', null);
  } finally {
    await server.stop();
    await Promise.all(samplers.map((sampler) => sampler.close()));
  }
}
