/**
 * How long one body at the [collector] max_stacks limit (100,000 distinct
 * stacks) holds the event loop: parsing it, then storing it, first as new
 * stacks and then as stacks the dictionary already knows. Prints medians.
 *
 *   node --import tsx bench/ingest-limit.ts      (BENCH_RUNS=N, default 3)
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_MAX_STACKS } from '../src/collector/formats/parsed-samples.js';
import type { ParsedSamples } from '../src/collector/formats/parsed-samples.js';
import { samplesBodySteps } from '../src/collector/formats/parse-samples-body.js';
import { runInTurns } from '../src/collector/formats/parse-steps.js';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { serviceLikeStacks } from '../test/support/folded-bodies.js';
import { median } from './measure.js';
import { tempFolder } from './workload-server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Runs `work` and answers the longest the event loop was held meanwhile, in ms. */
async function held(work: () => unknown): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // Let the monitor's timer start first, or a block that begins at once goes unseen.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return delay.max / 1e6;
}

const folder = tempFolder('ingest');
const store = openStackStore({ path: path.join(folder, 'db'), retentionSeconds: 86400, maintenanceIntervalMs: 0 });
const figures: Record<string, number[]> = { parse: [], 'store new stacks': [], 'store known stacks': [] };
try {
  for (let run = 0; run < RUNS; run++) {
    const body = serviceLikeStacks(DEFAULT_MAX_STACKS, `run${run}_`);
    let parsed: ParsedSamples | undefined;
    figures.parse.push(await held(async () => (parsed = await runInTurns(samplesBodySteps(body)))));
    const { stacks } = parsed!;
    const time = Math.floor(Date.now() / 1000);
    figures['store new stacks'].push(await held(() => store.write('bench', time, stacks)));
    figures['store known stacks'].push(await held(() => store.write('bench', time + 1, stacks)));
    if (run === 0) console.log(`body: ${DEFAULT_MAX_STACKS.toLocaleString('en-US')} distinct 12-frame stacks, ${(body.length / 1e6).toFixed(1)} MB`);
  }
  for (const [figure, values] of Object.entries(figures)) {
    console.log(`${figure}: event loop held up to ${median(values).toFixed(0)} ms (median of ${RUNS})`);
  }
} finally {
  await store.close();
}
