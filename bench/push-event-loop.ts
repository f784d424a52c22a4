import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MAX_STACKS } from '../src/collector/formats/parsed-samples.js';
import { startThread } from '../src/visualizer/query-pool.js';
import { serviceLikeStacks } from '../test/support/folded-bodies.js';
import { rawRequest } from '../test/support/raw-request.js';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { cpuNanoseconds, mainThreadCpuNanoseconds, median } from './measure.js';
import type { ProbeTask } from './probe-thread.js';
import { report } from './report.js';
import { SECRET } from './workload-server.js';

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Milliseconds each of a stream of back-to-back `route` requests took while
 * `work` ran: a request waits exactly as long as the server's event loop is
 * held, so their p99 is the delay every other user of the server saw.
 * They are made from a thread of their own (probe-thread.ts), so that the
 * bench's own work does not count as the server's. A fresh connection
 * each: a kept-alive one may be closed by the server just as it is reused.
 */
export async function probeWhile(server: ServerProcess, route: string, work: () => Promise<unknown>): Promise<number[]> {
  const task: ProbeTask = { origin: server.url, route };
  const probe = startThread(new URL('./probe-thread.ts', import.meta.url), { workerData: task });
  const latencies = new Promise<number[]>((resolve, reject) => {
    probe.once('message', resolve);
    probe.once('error', reject);
    probe.once('exit', (code) => reject(new Error(`the ${route} probe stopped (exit code ${code}) before its answer`)));
  });
  try {
    await work();
  } finally {
    probe.postMessage('stop');
  }
  return latencies;
}

/**
 * The server's own event-loop delay (ms) since the previous call, from the
 * Node.js default metrics of GET /metrics: prom-client samples the delay
 * every 10 ms and starts afresh at every scrape (so a scrape right after
 * another may say "Nan", which the strict exposition parser of the tests
 * refuses: these three lines are read alone). A fresh connection each time.
 */
async function eventLoopDelaySinceLastScrape(server: ServerProcess): Promise<{ p50: number; p99: number; max: number }> {
  const lines = (await rawRequest(server.url, 'GET', '/metrics')).body.toString().split('\n');
  const ms = (name: string) => Number(lines.find((line) => line.startsWith(`${name} `))?.slice(name.length + 1) ?? NaN) * 1000;
  return { p50: ms('nodejs_eventloop_lag_p50_seconds'), p99: ms('nodejs_eventloop_lag_p99_seconds'), max: ms('nodejs_eventloop_lag_max_seconds') };
}

/**
 * On a fresh connection, as the scrape: at high load the server may close a
 * kept-alive one just as fetch reuses it. With its Content-Length, as fetch
 * and the Pyroscope agents send a body they hold whole; PUSH_CHUNKED=1 sends
 * it without, so Node sends it chunked (the server's other way of reading).
 */
async function push(server: ServerProcess, body: Buffer): Promise<void> {
  const headers: Record<string, string> = { 'Profiler-Token': SECRET };
  if (!process.env.PUSH_CHUNKED) headers['Content-Length'] = String(body.length);
  const { status, body: answer } = await rawRequest(server.url, 'POST', '/ingest?host=pushed', { headers, parts: [body] });
  if (status !== 200) throw new Error(`push: HTTP ${status} ${answer.toString()}`);
}

/** The same stacks as a liveprofiler JSON body. */
function asJson(folded: Buffer): Buffer {
  const stacks = folded.toString().split('\n').map((line) => {
    const space = line.lastIndexOf(' ');
    return { frame: line.slice(0, space), count: Number(line.slice(space + 1)) };
  });
  return Buffer.from(JSON.stringify({ elapsed: 60, granularity: 0.01, stacks }));
}

const FIGURES = ['push', 'server CPU', 'main-thread CPU', 'hosts p50', 'hosts p99', 'loop p50', 'loop p99', 'loop max'] as const;
type Figures = Record<(typeof FIGURES)[number], number[]>;

/**
 * Issue 12: the largest payload `/ingest` accepts by default ([collector]
 * max_stacks distinct stacks, 12 frames each), pushed to the real server
 * while `/hosts` is requested back to back; as folded text of stacks the
 * store has never seen, then the same stacks again (known), then new stacks
 * as liveprofiler JSON. Reports the push's own time, /hosts latency and the
 * server's event-loop delay meanwhile.
 */
export async function pushEventLoopDelay(runs: number): Promise<void> {
  console.error(`Push of ${DEFAULT_MAX_STACKS.toLocaleString('en-US')} distinct stacks: /hosts latency and event-loop delay meanwhile`);
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = idle=127.0.0.1:9\ninterval = 86400\n`, { built: true, logLevel: 'info' });
  const kinds = ['new folded', 'known folded', 'new JSON'] as const;
  const figures = Object.fromEntries(kinds.map((kind) => [kind, Object.fromEntries(FIGURES.map((name) => [name, []]))])) as unknown as Record<(typeof kinds)[number], Figures>;
  try {
    for (let run = 0; run < Math.max(1, Math.min(runs, 3)); run++) {
      const folded = serviceLikeStacks(DEFAULT_MAX_STACKS, `run${run}_`);
      const bodies = { 'new folded': folded, 'known folded': folded, 'new JSON': asJson(serviceLikeStacks(DEFAULT_MAX_STACKS, `json${run}_`)) };
      for (const kind of kinds) {
        let pushMs = 0;
        let serverCpuMs = 0;
        let mainThreadCpuMs = 0;
        await eventLoopDelaySinceLastScrape(server);
        const latencies = await probeWhile(server, '/hosts', async () => {
          await sleep(50);
          const pid = server.child.pid!;
          const [started, cpu, mainThreadCpu] = [performance.now(), cpuNanoseconds(pid), mainThreadCpuNanoseconds(pid)];
          await push(server, bodies[kind]);
          pushMs = performance.now() - started;
          serverCpuMs = (cpuNanoseconds(pid) - cpu) / 1e6;
          mainThreadCpuMs = (mainThreadCpuNanoseconds(pid) - mainThreadCpu) / 1e6;
          await sleep(50);
        });
        const loop = await eventLoopDelaySinceLastScrape(server);
        const measured = { push: pushMs, 'server CPU': serverCpuMs, 'main-thread CPU': mainThreadCpuMs, 'hosts p50': percentile(latencies, 50), 'hosts p99': percentile(latencies, 99), 'loop p50': loop.p50, 'loop p99': loop.p99, 'loop max': loop.max };
        for (const name of FIGURES) figures[kind][name].push(measured[name]);
      }
    }
    const size = `${DEFAULT_MAX_STACKS / 1000}k`;
    for (const kind of kinds) {
      const { push: pushMs, ...rest } = figures[kind];
      report(`push of ${size} ${kind} stacks: the push itself`, median(pushMs), 'ms', null);
      report(`push of ${size} ${kind} stacks: server CPU, all threads`, median(rest['server CPU']), 'ms', null);
      report(`push of ${size} ${kind} stacks: server main-thread CPU`, median(rest['main-thread CPU']), 'ms', null);
      report(`push of ${size} ${kind} stacks: /hosts p50 meanwhile`, median(rest['hosts p50']), 'ms', null);
      report(`push of ${size} ${kind} stacks: /hosts p99 meanwhile`, median(rest['hosts p99']), 'ms', 100);
      report(`push of ${size} ${kind} stacks: event-loop delay p50`, median(rest['loop p50']), 'ms', null);
      report(`push of ${size} ${kind} stacks: event-loop delay p99`, median(rest['loop p99']), 'ms', 100);
      report(`push of ${size} ${kind} stacks: event-loop delay max`, median(rest['loop max']), 'ms', null);
    }
  } finally {
    await server.stop();
  }
}
