/**
 * Where the time of one `/profile` goes, stage by stage, in process (no
 * HTTP): the store's read, the trie, pruning to the node cap, the JSON and
 * its gzip, and the same for the compact answer (format=compact: a names
 * table and flat numbers, what the page asks for). One host, one day of a collection a minute (W2's host), asked
 * for the last 5 minutes, 1 hour and 24 hours. Prints medians of wall and
 * CPU time (CPU time moves far less with the machine's load).
 *
 *   node --import tsx bench/query-stages.ts      (BENCH_RUNS=N, default 15)
 */
import { gzipSync } from 'node:zlib';
import { GZIP_LEVEL } from '../src/http/compression.js';
import { flameSelectionJson } from '../src/profile/flame-selection-json.js';
import { flameSelectionCompactJson } from '../src/profile/flame-selection-compact-json.js';
import { DEFAULT_MAX_NODES, selectFlameNodes } from '../src/profile/prune-flame-tree.js';
import type { StackCounts } from '../src/profile/stack-counts.js';
import { buildStackTrie, StackShapes, type StackTrie } from '../src/profile/stack-trie.js';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { median } from './measure.js';
import { loadAverage } from './report.js';
import { backfill, DAY, tempFolder } from './workload-server.js';
import { hostWorkload } from './workload.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** Wall and CPU milliseconds of each run of one stage: on a shared machine the CPU time is the steadier figure. */
interface StageSamples {
  wall: number[];
  cpu: number[];
}

function timed<T>(samples: StageSamples, run: () => T): T {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = run();
  const cpu = process.cpuUsage(cpuBefore);
  samples.wall.push(performance.now() - started);
  samples.cpu.push((cpu.user + cpu.system) / 1000);
  return result;
}

const end = Math.floor(Date.now() / 1000);
const store = openStackStore({ path: tempFolder('stages'), retentionSeconds: 2 * DAY, maintenanceIntervalMs: 0 });
await backfill(store, [hostWorkload('w2', 42)], Array.from({ length: DAY / 60 }, (_, i) => end - DAY + (i + 1) * 60));
const shapes = new StackShapes();
try {
  for (const [range, seconds] of [['5m', 300], ['1h', 3600], ['24h', DAY]] as const) {
    const stages: Record<string, StageSamples> = Object.fromEntries(['read', 'trie', 'prune', 'json', 'gzip', 'compact', 'compact gzip'].map((stage) => [stage, { wall: [], cpu: [] }]));
    let stacks = 0;
    let nodes = 0;
    let bytes = 0;
    let compactBytes = 0;
    for (let run = 0; run < RUNS + 3; run++) {
      const counts: StackCounts = timed(stages.read, () => store.read(['w2'], end - seconds, end));
      const trie: StackTrie = timed(stages.trie, () => buildStackTrie(counts, shapes));
      const pruned = timed(stages.prune, () => selectFlameNodes(trie, { threshold: 0, maxNodes: DEFAULT_MAX_NODES }));
      const json = timed(stages.json, () => flameSelectionJson(pruned, { meta: {} }));
      timed(stages.gzip, () => gzipSync(json, { level: GZIP_LEVEL }));
      const compact = timed(stages.compact, () => flameSelectionCompactJson(pruned, { meta: {} }));
      timed(stages['compact gzip'], () => gzipSync(compact, { level: GZIP_LEVEL }));
      [stacks, nodes, bytes, compactBytes] = [counts.size, pruned.nodes, json.length, compact.length];
      // the first runs warm the JIT and the shapes
      if (run < 3) for (const samples of Object.values(stages)) [samples.wall, samples.cpu].forEach((list) => list.pop());
    }
    const shown = (kind: keyof StageSamples) => Object.entries(stages).map(([stage, samples]) => `${stage} ${median(samples[kind]).toFixed(2)}`).join(', ');
    console.log(`last ${range}: ${stacks} stacks, ${nodes} nodes, ${(bytes / 1024).toFixed(0)} KB (compact ${(compactBytes / 1024).toFixed(0)} KB): ${shown('wall')} ms; CPU ${shown('cpu')} ms`);
  }
  console.log(loadAverage());
} finally {
  await store.close();
}
