#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { createCollector } from './collector/collector.js';
import { scheduleCollections } from './collector/schedule.js';
import type { Config } from './config/config.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { parsePort } from './config/units.js';
import { serveWithGracefulShutdown } from './http/graceful-shutdown.js';
import { createHttpServer } from './http/http-server.js';
import { hashPassword } from './http/password-hash.js';
import { createLogger } from './log.js';
import { createMetrics } from './operability/metrics.js';
import { liveprofilerSampler } from './sampler/index.js';
import { openStackStore } from './store/lmdb-stack-store.js';
import { QueryPool } from './visualizer/query-pool.js';

const USAGE = `Usage: liveprofiler --config PATH [--port N]
       liveprofiler --hash-password < file-holding-the-password

Collects CPU stack samples from the hosts in the config into LMDB and serves
their flame graphs.

  --config PATH    the INI configuration (see config/liveprofiler.ini)
  --port N         listen on port N instead of [server] port
  --hash-password  read a password on stdin, print the [server] password_hash
                   that lets it in (HTTP Basic access control)
  --help           show this help
  --version        show the version`;

function fail(message: string): never {
  process.stderr.write(`liveprofiler: ${message}\n`);
  process.exit(1);
}

function readArguments(): { config: Config; warnings: string[] } | 'hash-password' {
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
        'hash-password': { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (args.version) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`liveprofiler ${pkg.version}\n`);
    process.exit(0);
  }
  if (args['hash-password']) return 'hash-password';
  if (args.config === undefined) fail(`--config PATH is required\n\n${USAGE}`);
  try {
    const { config, warnings } = loadConfig(args.config);
    if (args.port !== undefined) {
      const port = parsePort(args.port);
      if (port === null) fail(`--port: cannot read "${args.port}": expected a port number`);
      config.server.port = port;
    }
    return { config, warnings };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Longer than any password anyone types; the rest of stdin is not read. */
const MAX_PASSWORD_BYTES = 1024;

async function printPasswordHash(): Promise<void> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    bytes += chunk.length;
    if (bytes > MAX_PASSWORD_BYTES) fail(`--hash-password: the password on stdin is longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
  // One line, as `echo` or a password file gives it: the line break is not part of the password.
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') fail('--hash-password: no password on stdin');
  process.stdout.write(`${await hashPassword(password)}\n`);
}

async function main(): Promise<void> {
  const args = readArguments();
  if (args === 'hash-password') return printPasswordHash();
  const { config, warnings } = args;
  const log = createLogger();
  for (const warning of warnings) log.warn(warning);
  const clock = systemClock;

  let store;
  try {
    store = openStackStore({
      path: config.global.dbpath,
      retentionSeconds: config.global.retentionSeconds,
      clock,
      logger: log,
      stackCacheChars: config.store.stackCacheChars,
      // Retention and rollups are the collecting process's job; a read-only one only reads.
      maintenanceIntervalMs: config.collector.enabled ? undefined : 0,
    });
  } catch (error) {
    fail(`${config.file}: [global] dbpath: cannot open the store at ${config.global.dbpath}: ${(error as Error).message}`);
  }
  const sampler = config.sampler.enabled
    ? liveprofilerSampler({ secret: config.sampler.secret, intervalSeconds: config.sampler.intervalSeconds })
    : null;
  const metrics = createMetrics({ storePath: config.global.dbpath });
  const collector = createCollector({
    hosts: config.collector.hosts,
    secret: config.collector.secret,
    timeoutMs: config.collector.timeoutSeconds * 1000,
    maxBodyBytes: config.collector.maxBodyBytes,
    maxStacks: config.collector.maxStacks,
    maxConcurrent: config.collector.maxConcurrent,
    maxBufferedBytes: config.collector.maxBufferedBytes,
    store,
    log,
    clock,
    metrics,
  });
  const queries = new QueryPool({
    worker: { dbpath: config.global.dbpath, retentionSeconds: config.global.retentionSeconds, configuredHosts: config.collector.hosts.map((host) => host.name), stackCacheChars: config.store.stackCacheChars },
    size: config.server.queryWorkers,
    maxQueued: config.server.queryQueue,
    timeoutMs: config.server.queryTimeoutSeconds * 1000,
    maxHeapMb: config.server.queryMemoryMb ?? undefined,
    log,
    metrics,
  });
  const app = createApp({ config, store, collector, log, clock, sampler, metrics, queries });

  const server = createHttpServer(config.server);
  const http = serveWithGracefulShutdown(server, app);
  server.listen(config.server.port, config.server.host);
  server.on('error', (error: NodeJS.ErrnoException) => {
    fail(`cannot listen on ${config.server.host}:${config.server.port}: ${error.code ?? error.message}`);
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  log.info({ url: `http://${config.server.host}:${port}/`, hosts: config.collector.hosts.length, schedule: config.collector.schedule }, 'liveprofiler listening');

  const schedule = config.collector.enabled ? scheduleCollections(config.collector.schedule, () => collector.tick(), log) : null;
  if (!config.collector.enabled) log.info('read-only: [collector] enabled = 0, nothing is collected or accepted');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Stop accepting at once; the schedule's stop may wait on a running collection.
    const drained = http.close(config.server.shutdownGraceSeconds * 1000);
    await schedule?.stop();
    const dropped = await drained;
    if (dropped > 0) log.warn({ dropped }, 'requests still running after [server] shutdown_grace were dropped');
    await collector.close();
    // Only now: the queries in flight were answered while the server drained.
    await queries.close();
    await sampler?.stop();
    await store.close();
    log.info('stopped');
    process.exit(0);
  };
  // A repeated signal does not cut the grace short: the grace itself is bounded.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
