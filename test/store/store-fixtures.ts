import { rm } from 'node:fs/promises';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { addSamples } from '../../src/profile/stack-counts.js';
import { openDatabases } from '../../src/store/layout.js';
import { tempFolder } from '../support/temp-folder.js';

/** The one seeded generator of the tests, re-exported where the store tests have always found it. */
export { prng } from '../support/seeded-random.js';

/**
 * Runs `run` over a fresh folder, removed once it ends (its store may be large, and a file runs many)
 * or, if the process is ended first, when it exits (see tempFolder).
 */
export async function withTempFolder(run: (path: string) => Promise<void>): Promise<void> {
  const path = tempFolder('store');
  try {
    await run(path);
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}

/** A clock the test moves by hand, in Unix seconds. */
export function manualClock(startSeconds: number): { clock: () => number; set: (seconds: number) => void } {
  let now = startSeconds * 1000;
  return { clock: () => now, set: (seconds) => (now = seconds * 1000) };
}

export interface WrittenCollection {
  host: string;
  time: number;
  stacks: StackCounts;
}

/** The sum per stack of the collections of `hosts` with from <= time <= until, computed directly. */
export function expectedSum(written: readonly WrittenCollection[], hosts: readonly string[], from: number, until: number): StackCounts {
  const sum: StackCounts = new Map();
  for (const { host, time, stacks } of written) {
    if (!hosts.includes(host) || time < from || time > until) continue;
    for (const [stack, count] of stacks) addSamples(sum, stack, count);
  }
  return sum;
}

/** Sorted entries, so assertion failures show a readable difference. */
export function sorted(counts: StackCounts): Array<[string, number]> {
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One to four of `stackNames` (repeats add up), each counted 1 to 5: a small random collection. */
export function randomStacks(random: () => number, stackNames: readonly string[]): StackCounts {
  const stacks: StackCounts = new Map();
  const entries = 1 + Math.floor(random() * 4);
  for (let i = 0; i < entries; i++) stacks.set(stackNames[Math.floor(random() * stackNames.length)], 1 + Math.floor(random() * 5));
  return stacks;
}

/**
 * The buckets of the store in `path` (closed) that start before `cutoff`,
 * host buckets as 'host level start' and fleet ones as 'fleet level start':
 * none should be left once maintenance applied that cutoff, since no read
 * can use them.
 */
export async function bucketsStartingBefore(path: string, cutoff: number): Promise<string[]> {
  const dbs = openDatabases(path);
  try {
    const found: string[] = [];
    for (const [host, level, start] of dbs.counts.getKeys()) if (start < cutoff) found.push(`${host} ${level} ${start}`);
    for (const [level, start] of dbs.fleet.getKeys()) if (start < cutoff) found.push(`fleet ${level} ${start}`);
    return found;
  } finally {
    await dbs.env.close();
  }
}
