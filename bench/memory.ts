import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { MemoryBenchSetup, MemoryBenchStep } from './memory-workload.js';
import { diskBytes, isStoreFile, residentBytesOf, statusBytes } from './measure.js';
import { report } from './report.js';
import { tempFolder } from './workload-server.js';

const DISTINCT_STACKS = Number(process.env.MEMORY_BENCH_STACKS ?? 6_000_000);
/**
 * MEMORY_BENCH_DAYS shortens the run without changing a collection's shape:
 * 1.5 M stacks over 6 days push what 6 M over 24 do per collection (fewer
 * stacks over 24 days make collections small enough for the one-transaction
 * write path, which the full run does not take).
 */
const SIMULATED_DAYS = Number(process.env.MEMORY_BENCH_DAYS ?? 24);

const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
/** 6 M, 1.5 M: the run's size as its figures name it. */
const MILLIONS = `${DISTINCT_STACKS / 1e6} M`;

/** Where the workload's memory is: its main thread's V8 heap (the query workers' are not counted there, only in RSS), buffers outside it, and the rest (LMDB's mapped pages among it). */
function memoryBreakdown(pid: number, { heapUsed, heapTotal, external, arrayBuffers }: NodeJS.MemoryUsage): string {
  return `anonymous ${mb(statusBytes(pid, 'RssAnon'))} MB, file pages ${mb(statusBytes(pid, 'RssFile'))} MB (of them the store's ${mb(residentBytesOf(pid, isStoreFile))} MB), malloc's main heap ${mb(residentBytesOf(pid, (name) => name === '[heap]'))} MB; heap ${mb(heapUsed)}/${mb(heapTotal)} MB, external ${mb(external)} MB (array buffers ${mb(arrayBuffers)} MB)`;
}

/** memory-workload.ts as plain JavaScript: its types stripped, nothing else changed (its imports are node's, packages', and dist/'s). */
function workloadScript(): string {
  const source = readFileSync(fileURLToPath(new URL('./memory-workload.ts', import.meta.url)), 'utf8');
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/**
 * Issue 12: 6 M distinct stacks pushed over 24 simulated days into a store
 * with one day of retention, maintenance after every collection as the
 * server's timer would, and an hourly read of the last hour (a daily one of
 * the last 6 h) as a page asks for it, answered by the server's query pool
 * (its worker threads, with their long-lived StackShapes, reading the same
 * store). RSS is the whole workload process's: writer, maintenance and query
 * workers, as in the server. That process is plain `node` over dist/'s
 * modules (memory-workload.ts, measured from here at the same points as
 * before): until it was, the workload ran in this process, through tsx,
 * whose loader thread and transpiled sources a deployed server never pays
 * (some 30 MB: this bench's modules loaded took 87-89 MB of RSS through tsx,
 * 58 MB bundled and run by plain node). Memory must follow what is kept and
 * read, not what was ever seen. `npm run build` first.
 */
export async function memoryOverTime(): Promise<void> {
  console.error(`Memory: ${MILLIONS} distinct stacks over ${SIMULATED_DAYS} simulated days, retention 1 day (plain node over dist/)`);
  const folder = tempFolder('memory');
  const setup: MemoryBenchSetup = {
    folder,
    distinctStacks: DISTINCT_STACKS,
    simulatedDays: SIMULATED_DAYS,
    dist: new URL('../dist', import.meta.url).href,
    pino: import.meta.resolve('pino'),
  };
  // A file, not --eval: the query workers inherit the process's flags, and --input-type would stop them.
  const script = path.join(tempFolder('memory-workload'), 'memory-workload.mjs');
  writeFileSync(script, workloadScript());
  const workload = spawn(process.execPath, ['--expose-gc', script], {
    env: { ...process.env, MEMORY_BENCH_SETUP: JSON.stringify(setup) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pid = workload.pid!;
  const rssMb = () => statusBytes(pid, 'VmRSS') / 1024 ** 2;
  const perMillion: number[] = [];
  let end = NaN;
  let dictionaryPeak = NaN;
  workload.on('message', (step: MemoryBenchStep) => {
    const rss = rssMb();
    const breakdown = memoryBreakdown(pid, step.heap);
    if (step.at === 'million') {
      perMillion.push(rss);
      console.error(`  ${(step.pushed / 1e6).toFixed(0)} M stacks (day ${step.day.toFixed(1)}): RSS ${rss.toFixed(0)} MB (${breakdown}), store ${mb(diskBytes(folder))} MB, ${step.seconds.toFixed(0)} s`);
    } else if (step.at === 'end') {
      end = rss;
      dictionaryPeak = step.dictionaryPeak;
    } else if (step.at === 'collected') {
      console.error(`  after a full garbage collection: RSS ${rss.toFixed(0)} MB (${breakdown})`);
    } else {
      console.error(`  after closing the store: RSS ${rss.toFixed(0)} MB (${breakdown})`);
    }
    workload.send('go');
  });
  const exitCode = await new Promise<number | null>((resolve) => workload.on('exit', resolve));
  if (exitCode !== 0) throw new Error(`the memory workload ended with ${exitCode}`);
  console.error(`  RSS after each million: ${perMillion.map((rss) => rss.toFixed(0)).join(', ')} MB; at the end ${end.toFixed(0)} MB`);
  report(`RSS after ${MILLIONS} distinct stacks over ${SIMULATED_DAYS} days, retention 1 day`, end, 'MB', 300);
  report('RSS growth from the 2nd to the last million', end - perMillion[1], 'MB', null);
  report(`store size on disk at the end (${MILLIONS} stacks, 1 day kept)`, diskBytes(folder) / 1024 ** 2, 'MB', null);
  report('stack dictionary at its peak (entries a collection found)', dictionaryPeak, 'entries', null);
}
