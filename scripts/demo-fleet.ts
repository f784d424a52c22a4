/**
 * The product on a realistic fleet, for people who want to see it before
 * wiring their own services:
 *
 *   npm run demo:fleet [-- --port N --history-days D]
 *
 * Starts fake services on loopback that answer the liveprofiler JSON
 * protocol with deep Django, Celery and Express stacks; pushes a week of
 * their history (and a nightly batch job's) through POST /ingest with times
 * in the past; and runs the built server (dist/server.js) collecting from
 * them every 10 s. Halfway through the week the shop's order list starts
 * deep-copying every order, a regression to find. Ctrl-C stops everything
 * and deletes the demo's store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { carriesSecret, sha256 } from '../src/profiler-token.js';
import { CollectionSource, dailyLoad, serviceModel, type ServiceKind } from './fleet-stacks.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const COLLECT_SECONDS = 10;
/** One pushed collection per service per 10 minutes of history... */
const HISTORY_STEP = 600;
/** ...and, for the last hour, one every COLLECT_SECONDS, as if the collector had been running: no view mixes the two paces. */
const RECENT_HISTORY = 3600;
/** Pushes in flight at once: enough to keep the server busy, few enough to leave it answering the page. */
const PUSHES_IN_FLIGHT = 4;
/** The Python sampler's interval, reported with every payload. */
const GRANULARITY = 0.01;

interface ServiceSpec {
  name: string;
  kind: ServiceKind;
  /** CPU samples per second at the busiest hour. */
  samplesPerSecond: number;
}

/** Pulled by the server every COLLECT_SECONDS, and pushed for the week before. */
const SERVICES: ServiceSpec[] = [
  { name: 'shop-web-1', kind: 'django', samplesPerSecond: 40 },
  { name: 'shop-web-2', kind: 'django', samplesPerSecond: 36 },
  { name: 'checkout-api', kind: 'express', samplesPerSecond: 25 },
  { name: 'billing-worker', kind: 'celery', samplesPerSecond: 15 },
];
/** Never pulled: pushes one collection a night, covering its 30-minute run. */
const NIGHTLY: ServiceSpec & { runSeconds: number; startHourUtc: number } = {
  name: 'nightly-reports', kind: 'batch', samplesPerSecond: 50, runSeconds: 1800, startHourUtc: 2,
};

interface Options {
  port: number;
  historyDays: number;
}

function readOptions(): Options {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'history-days': { type: 'string' } } });
  const port = Number(values.port ?? 9998);
  const historyDays = Number(values['history-days'] ?? 7);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: '${values.port}' is not a port number`);
  if (!(historyDays >= 0 && historyDays <= 30)) throw new Error(`--history-days: '${values['history-days']}' is not between 0 and 30`);
  return { port, historyDays };
}

/** A collection as the Python sampler answers it. */
function payload(elapsed: number, counts: Map<string, number>): string {
  const stacks = Array.from(counts, ([frame, count]) => ({ frame, count }));
  return JSON.stringify({ elapsed, granularity: GRANULARITY, stacks });
}

/** A fake service: answers GET /liveprofiler like the Python sampler, with the counts since its last read. */
async function startService(spec: ServiceSpec, seed: number, secret: string, regressedSince: number): Promise<{ hostPort: string; server: Server }> {
  const source = new CollectionSource(serviceModel(spec.name, spec.kind, seed, spec.samplesPerSecond), seed);
  const secretDigest = sha256(secret);
  let lastRead = Date.now() / 1000;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/liveprofiler') {
      res.writeHead(404).end();
      return;
    }
    if (!carriesSecret(req.headers, secretDigest)) {
      res.writeHead(403).end();
      return;
    }
    const now = Date.now() / 1000;
    const elapsed = now - lastRead;
    lastRead = now;
    const samples = Math.round(elapsed * spec.samplesPerSecond * dailyLoad(now));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(payload(elapsed, source.collection(samples, now >= regressedSince)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** One push of history: what a service would have answered for the seconds before `time`. */
interface Push {
  host: string;
  time: number;
  body: () => string;
}

function historyPushes(startTime: number, endTime: number, seed: number, regressedSince: number): Push[] {
  const pushes: Push[] = [];
  SERVICES.forEach((spec, index) => {
    // A source of its own, so the history does not depend on when the live service is read.
    const source = new CollectionSource(serviceModel(spec.name, spec.kind, index + 1, spec.samplesPerSecond), seed + index);
    const recentStart = Math.max(startTime, Math.floor((endTime - RECENT_HISTORY) / HISTORY_STEP) * HISTORY_STEP);
    for (let time = startTime; time < endTime; time += time < recentStart ? HISTORY_STEP : COLLECT_SECONDS) {
      const elapsed = time <= recentStart ? HISTORY_STEP : COLLECT_SECONDS;
      const samples = Math.round(elapsed * spec.samplesPerSecond * dailyLoad(time));
      pushes.push({ host: spec.name, time, body: () => payload(elapsed, source.collection(samples, time >= regressedSince)) });
    }
  });
  const nightly = new CollectionSource(serviceModel(NIGHTLY.name, NIGHTLY.kind, 99, NIGHTLY.samplesPerSecond), seed + 99);
  // The first run to end at or after the history's start: in any day of history there is one.
  const nightEnd = (day: number) => day * 86400 + NIGHTLY.startHourUtc * 3600 + NIGHTLY.runSeconds;
  const startDay = Math.floor(startTime / 86400);
  const firstNight = nightEnd(startDay) >= startTime ? nightEnd(startDay) : nightEnd(startDay + 1);
  for (let time = firstNight; time < endTime; time += 86400) {
    const samples = NIGHTLY.runSeconds * NIGHTLY.samplesPerSecond;
    pushes.push({ host: NIGHTLY.name, time, body: () => payload(NIGHTLY.runSeconds, nightly.collection(samples, false)) });
  }
  // Oldest first across hosts, as a backfill would arrive.
  return pushes.sort((a, b) => a.time - b.time);
}

async function pushAll(url: string, secret: string, pushes: Push[], signal: AbortSignal, onProgress: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < pushes.length && !signal.aborted) {
      const push = pushes[next++];
      const query = new URLSearchParams({ host: push.host, time: String(push.time) });
      const response = await fetch(`${url}/ingest?${query}`, {
        method: 'POST',
        headers: { 'Profiler-Token': secret, 'Content-Type': 'application/json' },
        body: push.body(),
        signal,
      });
      if (!response.ok) throw new Error(`POST /ingest for ${push.host} answered ${response.status}: ${await response.text()}`);
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: PUSHES_IN_FLIGHT }, worker));
}

function startServer(folder: string, port: number, hosts: string[], secret: string): ChildProcess {
  const config = path.join(folder, 'config.ini');
  writeFileSync(config, [
    '[global]',
    'dbpath = db',
    '[server]',
    'host = 127.0.0.1',
    `port = ${port}`,
    '[collector]',
    `secret_header = ${secret}`,
    `hosts = ${hosts.join(', ')}`,
    `interval = ${COLLECT_SECONDS}`,
    '',
  ].join('\n'));
  // Warnings and errors only, unless asked: the terminal is for the demo's own few lines.
  return spawn(process.execPath, [path.join(REPO, 'dist/server.js'), '--config', config], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
}

/** Resolves once the server answers, rejects if it exits first. */
async function serverReady(url: string, server: ChildProcess): Promise<void> {
  const exited = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`the server exited with ${code} before it answered`))));
  const answered = (async () => {
    for (;;) {
      try {
        if ((await fetch(`${url}/hosts`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await Promise.race([answered, exited]);
}

async function main(): Promise<void> {
  const options = readOptions();
  const secret = randomBytes(16).toString('hex');
  const folder = mkdtempSync(path.join(tmpdir(), 'liveprofiler-demo-fleet-'));
  const now = Math.floor(Date.now() / 1000);
  const historyStart = Math.floor((now - options.historyDays * 86400) / HISTORY_STEP) * HISTORY_STEP;
  const regressedSince = now - (now - historyStart) / 2;

  const services = await Promise.all(SERVICES.map((spec, index) => startService(spec, index + 1, secret, regressedSince)));
  const server = startServer(folder, options.port, services.map(({ hostPort }, index) => `${SERVICES[index].name}=${hostPort}`), secret);
  const pushing = new AbortController();

  let stopping: Promise<void> | null = null;
  const stop = (code: number) => (stopping ??= (async () => {
    pushing.abort();
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM'); // the server stops cleanly on SIGTERM as on Ctrl-C (which it may have had already)
      await exited;
    }
    await Promise.all(services.map(({ server: service }) => new Promise((resolve) => {
      service.closeAllConnections();
      service.close(resolve);
    })));
    // The exit hook below deletes the store, now that the server has exited.
    process.stdout.write(`demo:fleet stopped; its store ${folder} is deleted\n`);
    process.exit(code);
  })());
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // Its output closed (`| head`, a test process that ended): stop as on Ctrl-C, where the EPIPE
  // would end this process and leave its server running over a store no one deletes.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => void stop(1));
  // However it ends short of SIGKILL (stopped, or an error thrown), its server and store go with it.
  process.once('exit', () => {
    server.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  });
  server.once('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`demo:fleet: the server exited with ${code}\n`);
      void stop(1);
    }
  });

  try {
    await run(options, `http://127.0.0.1:${options.port}`, server, secret, historyStart, regressedSince, pushing.signal);
  } catch (error) {
    if (pushing.signal.aborted) return;
    process.stderr.write(`demo:fleet: ${(error as Error).message}\n`);
    await stop(1);
  }
}

async function run(
  options: Options, url: string, server: ChildProcess, secret: string,
  historyStart: number, regressedSince: number, stopped: AbortSignal,
): Promise<void> {
  await serverReady(url, server);
  // Up to now, when the server is ready: its first pull, within COLLECT_SECONDS, takes over from there.
  const pushes = historyPushes(historyStart, Date.now() / 1000, 1000, regressedSince);
  process.stdout.write(
    `\ndemo:fleet: open ${url}/  (${SERVICES.length} services collected every ${COLLECT_SECONDS} s, ` +
    `${options.historyDays} ${options.historyDays === 1 ? 'day' : 'days'} of history loading, a regression in shop-web-* since ${new Date(regressedSince * 1000).toISOString()}; Ctrl-C stops)\n`,
  );
  const started = performance.now();
  const tty = process.stdout.isTTY;
  let shown = -1;
  await pushAll(url, secret, pushes, stopped, (done) => {
    const percent = Math.floor((100 * done) / pushes.length);
    if (percent === shown || (!tty && percent % 25 !== 0)) return;
    shown = percent;
    process.stdout.write(`${tty ? '\r' : ''}history: ${percent}% (${done} of ${pushes.length} collections)${tty ? '' : '\n'}`);
  });
  process.stdout.write(`${tty ? '\n' : ''}demo:fleet: history loaded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo:fleet: ${(error as Error).message}\n`);
  process.exit(1);
});
