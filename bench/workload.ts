/**
 * The benchmark's data, generated deterministically from a seed: a host's
 * vocabulary of distinct stacks (paths in one application's call tree, so
 * they share prefixes) and collections drawn Zipf-like from it.
 */

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['handle', 'render', 'query', 'load', 'parse', 'dispatch', 'validate', 'serialize', 'fetch', 'compute', 'wrap', 'call'];
const MODULES = ['app.views', 'app.models', 'app.db', 'django.core', 'sqlalchemy.orm', 'jinja2.runtime', 'json.encoder', 'app.cache', 'werkzeug.serving', 'app.auth'];
const FANOUT = 6;

/** Identifies a node of the call tree by its path from the root, as a 32-bit FNV-style hash. */
function childId(parentId: number, index: number): number {
  return Math.imul(Math.imul(parentId ^ (index + 1), 16777619) ^ (parentId >>> 13), 2246822519) >>> 0;
}

/** A node's frame name: a pure function of its id, so every host sees the same tree. */
function frameName(id: number): string {
  return `${VERBS[id % VERBS.length]}_${id % 97}(${MODULES[(id >>> 8) % MODULES.length]})`;
}

/** `size` distinct stacks, 8 to 40 frames deep, as walks down the shared call tree. */
export function generateVocabulary(seed: number, size: number): string[] {
  const random = seededRandom(seed);
  const stacks = new Set<string>();
  while (stacks.size < size) {
    const depth = 8 + Math.floor(random() * 33);
    let path = '<module>(__main__)';
    let id = 2166136261;
    for (let d = 1; d < depth; d++) {
      // Skewed towards the first children: busy code paths are shared by many stacks.
      id = childId(id, Math.floor(FANOUT * random() ** 2));
      path += `;${frameName(id)}`;
    }
    stacks.add(path);
  }
  return [...stacks];
}

/** Draws ranks 0..size-1 with probability proportional to 1 / (rank + 1) ^ exponent. */
export function zipfSampler(size: number, exponent: number, random: () => number): () => number {
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let rank = 0; rank < size; rank++) cumulative[rank] = sum += 1 / (rank + 1) ** exponent;
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

/** One collection: `samples` draws from the vocabulary, as stack -> count. */
export function generateCollection(vocabulary: readonly string[], draw: () => number, samples: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < samples; i++) {
    const stack = vocabulary[draw()];
    counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return counts;
}

export interface HostWorkload {
  name: string;
  vocabulary: string[];
  nextCollection(): Map<string, number>;
}

export const VOCABULARY_SIZE = 5000;
export const SAMPLES_PER_COLLECTION = 1000;
export const ZIPF_EXPONENT = 1.1;

export function hostWorkload(name: string, seed: number): HostWorkload {
  const vocabulary = generateVocabulary(seed, VOCABULARY_SIZE);
  const draw = zipfSampler(vocabulary.length, ZIPF_EXPONENT, seededRandom(seed * 7919 + 1));
  return { name, vocabulary, nextCollection: () => generateCollection(vocabulary, draw, SAMPLES_PER_COLLECTION) };
}

/**
 * `count` hosts running the same application: one shared vocabulary, and
 * collections of `samples` draws taken in turn from a pool of `poolSize`
 * generated once, each host starting at its own place in the pool. A
 * thousand hosts cost the memory of one vocabulary, and the time writing
 * them measures the store rather than the generator.
 */
export function fleetWorkload(prefix: string, count: number, seed: number, samples: number, poolSize = 256): HostWorkload[] {
  const vocabulary = generateVocabulary(seed, VOCABULARY_SIZE);
  const draw = zipfSampler(vocabulary.length, ZIPF_EXPONENT, seededRandom(seed * 7919 + 1));
  const pool = Array.from({ length: poolSize }, () => generateCollection(vocabulary, draw, samples));
  return Array.from({ length: count }, (_, i) => {
    let next = (i * 37) % poolSize;
    return { name: `${prefix}${i}`, vocabulary, nextCollection: () => pool[next++ % poolSize] };
  });
}
