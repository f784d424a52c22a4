import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

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

/** Bytes a folder really occupies on disk (allocated blocks, not apparent sizes of sparse files). */
export function diskBytes(folder: string): number {
  let bytes = 0;
  for (const name of readdirSync(folder)) {
    const stats = statSync(path.join(folder, name));
    bytes += stats.isDirectory() ? diskBytes(path.join(folder, name)) : stats.blocks * 512;
  }
  return bytes;
}

/** Peak resident memory of a process (Linux VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}
