import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnOwned } from './child-processes.js';
import { tempFolder } from './temp-folder.js';

const REPO = new URL('../../', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  port: number;
  dbpath: string;
  configFile: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first log line whose msg is `message` (logged already or later); rejects after `timeoutMs`. */
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code, or the signal that ended the process (a crash says which). */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

export interface ServerOptions {
  /** The LMDB folder; by default one in a fresh temp folder, removed when this process exits. */
  dbpath?: string;
  /** Run the build in dist/ as deployed (benchmarks) instead of src/ through tsx (tests, no build needed). */
  built?: boolean;
  /** LOG_LEVEL of the server; default debug, so tests can read every line. At most info: start-up is seen by its 'listening' line. */
  logLevel?: 'trace' | 'debug' | 'info';
  /** Runs the server under `ulimit -v` of this many KiB, as a host limiting address space would. */
  addressSpaceKiB?: number;
}

/**
 * Starts the real server on a loopback port of its own (it listens on port 0
 * and logs the port it got: a port found free beforehand can be taken by
 * another test's connection before the server binds it)
 * with `configBody`: the config without [global] dbpath, which the options give.
 */
export async function startServer(configBody: string, options: ServerOptions = {}): Promise<ServerProcess> {
  const folder = tempFolder('server');
  const configFile = path.join(folder, 'config.ini');
  const dbpath = options.dbpath ?? path.join(folder, 'db');
  writeFileSync(configFile, `[global]\ndbpath = ${dbpath}\n${configBody}`);
  const entry = options.built ? [path.join(REPO, 'dist/server.js')] : ['--import', 'tsx', path.join(REPO, 'src/server.ts')];
  const command = [process.execPath, ...entry, '--config', configFile, '--port', '0'];
  const limited = options.addressSpaceKiB === undefined
    ? command
    : ['/bin/sh', '-c', `ulimit -v ${options.addressSpaceKiB} && exec "$@"`, 'sh', ...command];
  const child = spawnOwned(limited[0], limited.slice(1), {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: options.logLevel ?? 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const logWaiters = new Set<(entry: Record<string, unknown>) => void>();
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const entry = parseLogLine(line);
        logs.push(entry);
        for (const waiter of logWaiters) waiter(entry);
        if (entry.msg === 'liveprofiler listening') resolve(Number(new URL(String(entry.url)).port));
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dbpath,
    configFile,
    child,
    logs,
    stderr: () => stderr,
    waitForLog(message, timeoutMs = 10_000) {
      const logged = logs.find((entry) => entry.msg === message);
      if (logged) return Promise.resolve(logged);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          logWaiters.delete(waiter);
          reject(new Error(`no log line "${message}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (entry: Record<string, unknown>): void => {
          if (entry.msg !== message) return;
          clearTimeout(timer);
          logWaiters.delete(waiter);
          resolve(entry);
        };
        logWaiters.add(waiter);
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

/** Our lines are pino JSON; anything else (a library writing to stdout) is kept as text. */
function parseLogLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: line };
  }
}
