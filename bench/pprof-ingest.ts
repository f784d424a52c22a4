/**
 * The ingest rate of Pyroscope-style pprof pushes: gzipped CPU profiles
 * shaped like Go's (one location per frame, samples/count and cpu/nanoseconds),
 * built from the benchmark's deterministic workload, pushed over loopback
 * HTTP to the real server process (`POST /ingest?name=APP{…}&format=pprof`,
 * Bearer secret) with a few requests in flight, as a fleet's agents would.
 * Also the parse rate alone, in this process. Prints medians over the runs.
 *
 *   node --import tsx bench/pprof-ingest.ts      (BENCH_RUNS=N for more repetitions)
 */
import { gzipSync } from 'node:zlib';
import { Profile, StringTable } from 'pprof-format';
import { parsePprofByType } from '../src/collector/formats/pprof.js';
import { startServer } from '../test/support/server-process.js';
import { median } from './measure.js';
import { hostWorkload, SAMPLES_PER_COLLECTION } from './workload.js';
import { DEFAULT_BODY_LIMITS } from '../src/collector/formats/parsed-samples.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const APPS = 20;
const PROFILES_PER_APP = 5;
const IN_FLIGHT = 8;
const SECRET = 'bench';
const PERIOD_NS = 10_000_000;
const START = 1_700_000_000;

/** One collection (folded stack -> count) as a gzipped pprof CPU profile. */
function toPprof(collection: Map<string, number>, time: number): Buffer {
  const strings = new StringTable();
  const functionIds = new Map<string, number>();
  const functions: { id: number; name: number; filename: number }[] = [];
  const locations: { id: number; line: { functionId: number; line: number }[] }[] = [];
  const locationOf = (frame: string) => {
    let id = functionIds.get(frame);
    if (id === undefined) {
      id = functions.length + 1;
      functionIds.set(frame, id);
      const module = frame.slice(frame.indexOf('(') + 1, -1);
      functions.push({ id, name: strings.dedup(frame.slice(0, frame.indexOf('('))), filename: strings.dedup(`${module.replaceAll('.', '/')}.go`) });
      locations.push({ id, line: [{ functionId: id, line: 10 + (id % 400) }] });
    }
    return id;
  };
  const sample = [...collection].map(([stack, count]) => ({
    locationId: stack.split(';').map(locationOf).reverse(),
    value: [count, count * PERIOD_NS],
  }));
  const profile = new Profile({
    sampleType: [
      { type: strings.dedup('samples'), unit: strings.dedup('count') },
      { type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') },
    ],
    periodType: { type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') },
    period: PERIOD_NS,
    timeNanos: BigInt(time) * 1_000_000_000n,
    durationNanos: 10_000_000_000,
    function: functions,
    location: locations,
    sample,
    stringTable: strings,
  });
  return gzipSync(profile.encode());
}

interface Push {
  query: string;
  body: Buffer;
}

function buildPushes(): Push[] {
  const pushes: Push[] = [];
  for (let app = 0; app < APPS; app++) {
    const workload = hostWorkload(`app${app}`, 5000 + app);
    const name = encodeURIComponent(`app${app}{region=eu-${app % 3},pod=p${app}}`);
    for (let i = 0; i < PROFILES_PER_APP; i++) {
      const until = START + i * 10;
      pushes.push({ query: `name=${name}&from=${until - 10}&until=${until}&format=pprof&spyName=gospy&sampleRate=100`, body: toPprof(workload.nextCollection(), until - 10) });
    }
  }
  return pushes;
}

/** Pushes everything with `IN_FLIGHT` requests at a time; resolves with the elapsed milliseconds. */
async function pushAll(url: string, pushes: Push[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < pushes.length) {
      const push = pushes[next++];
      const response = await fetch(`${url}/ingest?${push.query}`, {
        method: 'POST',
        body: new Uint8Array(push.body),
        headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/octet-stream' },
      });
      if (response.status !== 200) throw new Error(`push answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return performance.now() - started;
}

const pushes = buildPushes();
const samples = pushes.length * SAMPLES_PER_COLLECTION;
console.error(`${pushes.length} profiles of ${SAMPLES_PER_COLLECTION} samples, median body ${Math.round(median(pushes.map((push) => push.body.length)) / 1024)} KiB gzipped`);

const parseMs: number[] = [];
for (let run = 0; run < RUNS + 1; run++) {
  const started = performance.now();
  for (const push of pushes) parsePprofByType(push.body, DEFAULT_BODY_LIMITS);
  if (run > 0) parseMs.push(performance.now() - started); // the first run warms up
}

const pushMs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n`);
  try {
    await pushAll(server.url, pushes.slice(0, APPS)); // warm-up: every series and most stacks are new once
    pushMs.push(await pushAll(server.url, pushes));
  } finally {
    await server.stop();
  }
}

const rate = (ms: number, count: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');
const push = median(pushMs);
const parse = median(parseMs);
console.log(`pprof pushes over HTTP (${IN_FLIGHT} in flight): ${rate(push, pushes.length)} profiles/s, ${rate(push, samples)} samples/s`);
console.log(`pprof parsing alone:                  ${rate(parse, pushes.length)} profiles/s, ${rate(parse, samples)} samples/s`);
