import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MAX_STACKS } from '../src/collector/formats/parsed-samples.js';
import { serviceLikeStacks } from '../test/support/folded-bodies.js';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { median } from './measure.js';
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
 */
export async function probeWhile(server: ServerProcess, route: string, work: () => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let running = true;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${server.url}${route}`);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      await sleep(5);
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await probing;
  }
  return latencies;
}

async function push(server: ServerProcess, body: Buffer): Promise<void> {
  const response = await fetch(`${server.url}/ingest?host=pushed`, { method: 'POST', body: new Uint8Array(body), headers: { 'Profiler-Token': SECRET } });
  const answer = await response.text();
  if (!response.ok) throw new Error(`push: HTTP ${response.status} ${answer}`);
}

/**
 * Issue 12: the largest payload `/ingest` accepts by default ([collector]
 * max_stacks distinct stacks, 12 frames each), pushed to the real server
 * while `/hosts` is requested back to back; first as stacks the store has
 * never seen, then again as stacks it knows.
 */
export async function pushEventLoopDelay(runs: number): Promise<void> {
  console.error(`Push of ${DEFAULT_MAX_STACKS.toLocaleString('en-US')} distinct stacks: /hosts latency meanwhile`);
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = idle=127.0.0.1:9\ninterval = 86400\n`, { built: true, logLevel: 'info' });
  const figures = { new: { p99: [] as number[], max: [] as number[], push: [] as number[] }, known: { p99: [] as number[], max: [] as number[], push: [] as number[] } };
  try {
    for (let run = 0; run < Math.max(1, Math.min(runs, 3)); run++) {
      const body = serviceLikeStacks(DEFAULT_MAX_STACKS, `run${run}_`);
      for (const kind of ['new', 'known'] as const) {
        let pushMs = 0;
        const latencies = await probeWhile(server, '/hosts', async () => {
          await sleep(50);
          const started = performance.now();
          await push(server, body);
          pushMs = performance.now() - started;
          await sleep(50);
        });
        figures[kind].p99.push(percentile(latencies, 99));
        figures[kind].max.push(Math.max(...latencies));
        figures[kind].push.push(pushMs);
      }
    }
    for (const kind of ['new', 'known'] as const) {
      report(`push of ${DEFAULT_MAX_STACKS / 1000}k ${kind} stacks: the push itself`, median(figures[kind].push), 'ms', null);
      report(`push of ${DEFAULT_MAX_STACKS / 1000}k ${kind} stacks: /hosts p99 meanwhile`, median(figures[kind].p99), 'ms', 100);
      report(`push of ${DEFAULT_MAX_STACKS / 1000}k ${kind} stacks: /hosts max meanwhile`, median(figures[kind].max), 'ms', null);
    }
  } finally {
    await server.stop();
  }
}
