import type { StackCounts } from '../../src/profile/stack-counts.js';
import { addSamples } from '../../src/profile/stack-counts.js';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed: numbers in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomStacksOptions {
  /** Distinct frame names to draw from: few names make recursion (a name twice in a stack) common. */
  names: number;
  stacks: number;
  maxDepth: number;
  maxCount: number;
}

/**
 * Stacks of frames `f0`..`f{names-1}` drawn at random, 1..maxDepth deep, each
 * with 1..maxCount samples; frames repeat within stacks, as recursion does.
 */
export function randomStacks(seed: number, options: RandomStacksOptions): StackCounts {
  const random = prng(seed);
  const below = (n: number) => Math.floor(random() * n);
  const stacks: StackCounts = new Map();
  for (let i = 0; i < options.stacks; i++) {
    const depth = 1 + below(options.maxDepth);
    const frames = Array.from({ length: depth }, () => `f${below(options.names)}`);
    addSamples(stacks, frames.join(';'), 1 + below(options.maxCount));
  }
  return stacks;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `length` letters and digits drawn from `random`: text the store's LZ4
 * cannot shrink, for tests whose stacks must take their length on disk
 * (filling a disk, growing a file), where a run of one letter compresses
 * to a few bytes.
 */
export function incompressibleText(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += LETTERS[Math.floor(random() * LETTERS.length)];
  return text;
}
