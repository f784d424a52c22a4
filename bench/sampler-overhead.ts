/**
 * What the Node sampler costs a service: an Express hello-world in a child
 * process, one without and one with the sampler at 10 ms, each loaded by
 * autocannon in turn (alternating, order flipped every pair, so drift on a
 * shared machine falls on both). Prints medians of req/s and p99 latency,
 * their ratios, and how long the sampler's rotations paused the event loop.
 * Also the server's own CPU time per request: on a machine shared with other
 * work, req/s swings by tens of percent between runs, CPU time far less.
 * The service is pinned to core 0 and the load generator to core 1, so the
 * two never trade cores; V8's profiler thread then shares the service's one
 * core, which makes the figure an upper bound for a service with cores to spare.
 *
 *   npm run bench:sampler      (SAMPLER_BENCH_PAIRS, SAMPLER_BENCH_SECONDS to change the runs)
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { liveprofilerSampler, type RotationPause, type Sampler } from '../src/sampler/index.js';
import { median } from './measure.js';

const PAIRS = Number(process.env.SAMPLER_BENCH_PAIRS ?? 5);
const SECONDS = Number(process.env.SAMPLER_BENCH_SECONDS ?? 5);
const WARM_UP_SECONDS = 3;
const CONNECTIONS = 10;

type Variant = 'without sampler' | 'with sampler';

/** The service and the load generator each get a core of their own, so they do not trade CPU between runs. */
const SERVICE_CPU = 0;
const LOAD_CPU = 1;

/** Pins every thread of `pid` to one CPU with taskset; a no-op (said once) where taskset is missing. */
function pinToCpu(pid: number, cpu: number): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    if (!pinWarned) console.log('taskset unavailable: service and load generator share the cores');
    pinWarned = true;
  }
}
let pinWarned = false;

/** The part of autocannon's programmatic API used here (it ships no types). */
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** What the child service tells the parent: its port once, then its state whenever asked. */
type ChildMessage = { listening: number } | ServiceState;
interface ServiceState {
  cpuMicroseconds: number;
  rotationPause: RotationPause | null;
}

async function serve(withSampler: boolean): Promise<void> {
  const app = express();
  const sampler: Sampler | null = withSampler ? liveprofilerSampler({ secret: 'bench', intervalSeconds: 0.01 }) : null;
  if (sampler) app.use(sampler);
  app.get('/', (_req, res) => {
    res.send('hello world');
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  process.send?.({ listening: address.port } satisfies ChildMessage);
  process.on('message', () => {
    const cpu = process.cpuUsage();
    process.send?.({ cpuMicroseconds: cpu.user + cpu.system, rotationPause: sampler?.rotationPause() ?? null } satisfies ChildMessage);
  });
  process.on('disconnect', () => process.exit(0));
}

interface Service {
  variant: Variant;
  child: ChildProcess;
  url: string;
}

async function startService(variant: Variant): Promise<Service> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', variant === 'with sampler' ? 'sampler' : 'plain'], {
    execArgv: ['--import', 'tsx'],
  });
  const [message] = (await once(child, 'message')) as [ChildMessage];
  if (!('listening' in message)) throw new Error(`unexpected message from the ${variant} service`);
  pinToCpu(child.pid!, SERVICE_CPU);
  return { variant, child, url: `http://127.0.0.1:${message.listening}/` };
}

interface Run {
  rps: number;
  p99: number;
  cpuMicrosecondsPerRequest: number;
}

async function load(service: Service, seconds: number): Promise<Run> {
  const before = await stateOf(service);
  const result = await autocannon({ url: service.url, connections: CONNECTIONS, duration: seconds });
  const after = await stateOf(service);
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${service.variant}: ${result.errors} errors and ${result.non2xx} non-2xx answers under load`);
  }
  const cpuMicrosecondsPerRequest = (after.cpuMicroseconds - before.cpuMicroseconds) / result.requests.total;
  return { rps: result.requests.average, p99: result.latency.p99, cpuMicrosecondsPerRequest };
}

async function stateOf(service: Service): Promise<ServiceState> {
  service.child.send('state');
  const [message] = (await once(service.child, 'message')) as [ChildMessage];
  if (!('cpuMicroseconds' in message)) throw new Error(`unexpected message from the ${service.variant} service`);
  return message;
}

async function main(): Promise<void> {
  pinToCpu(process.pid, LOAD_CPU);
  const plain = await startService('without sampler');
  const sampled = await startService('with sampler');
  try {
    for (const service of [plain, sampled]) await load(service, WARM_UP_SECONDS);
    const results = new Map<Variant, Run[]>([[plain.variant, []], [sampled.variant, []]]);
    for (let pair = 0; pair < PAIRS; pair++) {
      const order = pair % 2 === 0 ? [plain, sampled] : [sampled, plain];
      for (const service of order) {
        const run = await load(service, SECONDS);
        results.get(service.variant)?.push(run);
        console.log(`pair ${pair + 1} ${service.variant.padEnd(16)} ${describe(run)}`);
      }
    }
    const summary = (variant: Variant): Run => {
      const runs = results.get(variant) ?? [];
      return {
        rps: median(runs.map((r) => r.rps)),
        p99: median(runs.map((r) => r.p99)),
        cpuMicrosecondsPerRequest: median(runs.map((r) => r.cpuMicrosecondsPerRequest)),
      };
    };
    const without = summary(plain.variant);
    const withSampler = summary(sampled.variant);
    console.log(`\nmedians over ${PAIRS} runs of ${SECONDS} s, ${CONNECTIONS} connections:`);
    console.log(`  without sampler  ${describe(without)}`);
    console.log(`  with sampler     ${describe(withSampler)}`);
    console.log(`  throughput ratio ${(withSampler.rps / without.rps).toFixed(4)} (loss ${((1 - withSampler.rps / without.rps) * 100).toFixed(2)} %, goal at most 1 %)`);
    console.log(`  p99 ratio        ${(withSampler.p99 / without.p99).toFixed(3)}`);
    console.log(`  CPU per request  ratio ${(withSampler.cpuMicrosecondsPerRequest / without.cpuMicrosecondsPerRequest).toFixed(4)}`);
    const pause = (await stateOf(sampled)).rotationPause;
    if (pause) {
      console.log(`  rotation pause   last ${pause.lastMs.toFixed(2)} ms, max ${pause.maxMs.toFixed(2)} ms over ${pause.rotations} rotations`);
    }
  } finally {
    plain.child.disconnect();
    sampled.child.disconnect();
  }
}

function describe(run: Run): string {
  return `${run.rps.toFixed(0).padStart(7)} req/s  p99 ${run.p99} ms  ${run.cpuMicrosecondsPerRequest.toFixed(1)} µs CPU/request`;
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) await serve(process.argv[serveIndex + 1] === 'sampler');
else await main();
