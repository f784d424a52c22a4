/**
 * The storage and query benchmark (issue "Speed at scale"): deterministic
 * workloads written through the store's real write path, queried over
 * loopback HTTP from the real server process; prints one table of medians.
 *
 *   npm run bench            (BENCH_RUNS=N for more repetitions)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../test/support/fake-sampler.js';
import { rawRequest } from '../test/support/raw-request.js';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { coldAndRepeated } from './answer-cache.js';
import { clickHouseComparison } from './clickhouse.js';
import { diskBytes, median, medianMs, peakRss, watchResident, type HighestResident } from './measure.js';
import { memoryOverTime } from './memory.js';
import { pushEventLoopDelay } from './push-event-loop.js';
import { readersVsCollection } from './readers-vs-collection.js';
import { againstRecordPerStack } from './record-per-stack.js';
import { printTable, report } from './report.js';
import { thousandHostsOneDay } from './thousand-hosts.js';
import { answerCost, askServer, compareQueries, DAY, queryMs, SECRET, startWorkloadServer, tempFolder, workloadServer } from './workload-server.js';
import { generateVocabulary, hostWorkload } from './workload.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** BENCH_ONLY=w2,w3 runs just those workloads (w1, w2, w3, w4, page, index, push, readers, clickhouse, records, memory); default all. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'w1,w2,w3,w4,page,index,push,readers,clickhouse,records,memory').toLowerCase().split(','));

/**
 * W1a: rounds of 50 hosts, one collection each, straight into the store,
 * rollups included. Each host's vocabulary is stored once first, untimed:
 * a running fleet's stacks change slowly, so steady-state ingest meets a
 * dictionary that already knows them. The 50 vocabularies hold some 134 M
 * characters of stacks, twice what the default stack cache keeps, so it runs
 * twice: with the default cache, and with `[store] stack_cache = 256MB`, which
 * holds them all.
 */
async function ingestThroughput(): Promise<void> {
  for (const [label, stackCacheChars] of [['default stack cache', undefined], ['stack_cache = 256MB', 256 * 1024 ** 2]] as const) {
    await ingestRounds(label, stackCacheChars);
  }
}

async function ingestRounds(label: string, stackCacheChars: number | undefined): Promise<void> {
  console.error(`W1: ingest, ${label}`);
  const hosts = Array.from({ length: 50 }, (_, i) => hostWorkload(`host${i}`, 1000 + i));
  const rounds = Array.from({ length: 20 }, () => hosts.map((host) => host.nextCollection()));
  const rates: number[] = [];
  for (let run = 0; run < Math.max(3, RUNS >> 1); run++) {
    const folder = tempFolder('ingest');
    const now = 1_700_000_000;
    // Maintenance after the setup sees the rounds' time as now, so it rolls up nothing the rounds then write into.
    let clockSeconds = now;
    const store = openStackStore({ path: folder, retentionSeconds: 30 * DAY, maintenanceIntervalMs: 0, stackCacheChars, clock: () => clockSeconds * 1000 });
    await Promise.all(hosts.map((host) => store.write(host.name, now - DAY, new Map(host.vocabulary.map((stack) => [stack, 1])))));
    // The dictionary collection the vocabulary's growth makes due belongs to that setup, not to the rounds' maintenance.
    await store.maintain();
    clockSeconds = now + rounds.length * 60 + 3600;
    let entries = 0;
    const started = performance.now();
    for (const [round, collections] of rounds.entries()) {
      await Promise.all(collections.map((collection, i) => store.write(hosts[i].name, now + round * 60, collection)));
      for (const collection of collections) entries += collection.size;
    }
    await store.maintain();
    rates.push(entries / ((performance.now() - started) / 1000));
    await store.close();
  }
  report(`store ingest (50 hosts × 20 rounds, rollups included), ${label}`, median(rates), 'entries/s', 1_000_000, 'higher');
}

/** W1b: one whole collection round of 50 loopback samplers each serving 500 stacks, through the real server. */
async function collectionRound(): Promise<void> {
  console.error('W1: collection round over HTTP');
  const samplers: FakeSampler[] = [];
  for (let i = 0; i < 50; i++) {
    const stacks = generateVocabulary(2000 + i, 500).map((frame, rank) => ({ frame, count: 1 + (1000 >> Math.min(rank, 10)) }));
    const body = JSON.stringify({ elapsed: 60, granularity: 0.01, stacks });
    samplers.push(await startFakeSampler(liveprofilerHandler(SECRET, () => body)));
  }
  const hosts = samplers.map((sampler, i) => `s${i}=${sampler.hostPort}`).join(', ');
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts}\ninterval = 86400\n`, { built: true });
  try {
    const rounds: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      // Within a second of the last collection, /collector/ answers that one instead of pulling again.
      await sleep(1100);
      const started = performance.now();
      const response = await fetch(`${server.url}/collector/`);
      const body = (await response.json()) as { stacks_collected: number };
      if (body.stacks_collected !== 50 * 500) throw new Error(`collected ${body.stacks_collected} stacks, expected 25000`);
      if (run > 0) rounds.push(performance.now() - started);
    }
    const ms = median(rounds);
    report('50-host collection round over loopback (500 stacks each)', ms, 'ms', 250);
  } finally {
    await server.stop();
    await Promise.all(samplers.map((sampler) => sampler.close()));
  }
}

/** A workload server's peak resident memory (VmHWM) and what its highest sample was made of. */
interface PeakMemory {
  hwm: number;
  split: HighestResident;
}

async function oneHostOneMonth(): Promise<PeakMemory> {
  console.error('W2: one host, one month, a collection every 60 s');
  const { server, folder, entries } = await workloadServer('w2', [hostWorkload('w2', 42)], 60, 30);
  const resident = watchResident(server.child.pid!);
  try {
    const targets: Record<string, number | null> = { '5m': 5, '1h': null, '24h': 30, '7d': null, '30d': 80 };
    for (const [range, target] of Object.entries(targets)) {
      // The tree form, what API users get by default, and the compact form the page asks for, in turn.
      const route = `/profile/w2/?from=-${range}&until=now`;
      const [[treeMs, treeCpuMs], [compactMs, compactCpuMs]] = await compareQueries(server, [route, `${route}&format=compact`], RUNS);
      report(`W2 /profile, last ${range}`, treeMs, 'ms', target);
      report(`W2 /profile, last ${range}, format=compact`, compactMs, 'ms', target);
      report(`W2 /profile, last ${range}: server CPU per answer`, treeCpuMs, 'ms', null);
      report(`W2 /profile, last ${range}, format=compact: server CPU per answer`, compactCpuMs, 'ms', null);
    }
    report('W2 /profile, last 5m, first ask after a 2.5 s pause: server CPU', await cpuAfterPauseMs(server, '/profile/w2/?from=-5m&until=now', RUNS), 'ms', null);
    report('W2 /functions, last 24h', await queryMs(server, '/functions/w2/?from=-24h&until=now', RUNS), 'ms', null);
    report('W2 /diff, last 24h against the 24h before', await queryMs(server, '/diff/w2/?from=-24h&until=now', RUNS), 'ms', null);
    report('W2 disk per ingested entry', diskBytes(folder) / entries, 'bytes', 6);
    // The same store behind a server keeping answers, as deployed ([store] answer_cache at its default).
    const keeping = await startWorkloadServer(folder, ['w2'], 30, '16MB');
    const keepingResident = watchResident(keeping.child.pid!);
    let keepingPeak: PeakMemory;
    try {
      await coldAndRepeated(keeping, 'W2 /profile, last 5m, answers kept', '/profile/w2/?from=-5m&until=now', RUNS);
      await coldAndRepeated(keeping, 'W2 /profile, last 5m, format=compact, answers kept', '/profile/w2/?from=-5m&until=now&format=compact', RUNS);
      keepingPeak = { hwm: peakRss(keeping.child.pid!), split: keepingResident.highest() };
    } finally {
      keepingResident.stop();
      await keeping.stop();
    }
    const peak = { hwm: peakRss(server.child.pid!), split: resident.highest() };
    return peak.hwm >= keepingPeak.hwm ? peak : keepingPeak;
  } finally {
    resident.stop();
    await server.stop();
  }
}

/** Longer than the query worker's idle wait (1.5 s), after which it may collect its whole heap. */
const PAUSE_MS = 2_500;

/**
 * Median server CPU of `route` asked once after each of `runs` pauses: a
 * dashboard's first ask after a quiet spell, which paid 2-3 times the warm
 * CPU while the worker's idle whole-heap collection discarded optimised code.
 */
async function cpuAfterPauseMs(server: ServerProcess, route: string, runs: number): Promise<number> {
  const costs: number[] = [];
  for (let run = 0; run < runs; run++) {
    await sleep(PAUSE_MS);
    costs.push((await answerCost(server.child.pid!, () => askServer(server, route)))[1]);
  }
  return median(costs);
}

/** Bytes on the wire and time of one answer from the server, as it is and gzipped (gunzipping included). */
async function compressionFigures(server: ServerProcess, route: string): Promise<void> {
  for (const encoding of ['identity', 'gzip']) {
    let bytes = 0;
    const ms = await medianMs(RUNS, async () => {
      const answer = await rawRequest(server.url, 'GET', route, { headers: { 'Accept-Encoding': encoding } });
      bytes = answer.body.length;
      JSON.parse((answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body).toString());
    });
    report(`W3 /profile/_all 24h, ${encoding}: bytes on the wire`, bytes / 1024, 'KB', null);
    report(`W3 /profile/_all 24h, ${encoding}: time, answer parsed`, ms, 'ms', null);
  }
}

async function fleetOneDay(): Promise<PeakMemory> {
  console.error('W3: 10 hosts, one day, a collection every 10 s');
  const hosts = Array.from({ length: 10 }, (_, i) => hostWorkload(`w3-${i}`, 300 + i));
  const { server, folder, entries } = await workloadServer('w3', hosts, 10, 1);
  const resident = watchResident(server.child.pid!);
  try {
    report('W3 /profile/<one host>, last 24h', await queryMs(server, '/profile/w3-0/?from=-24h&until=now', RUNS), 'ms', 30);
    const [[allMs, allCpuMs]] = await compareQueries(server, ['/profile/_all/?from=-24h&until=now'], RUNS);
    report('W3 /profile/_all, last 24h', allMs, 'ms', 150);
    // Server CPU moves far less with the machine's load than wall time does: the figure to compare between builds.
    report('W3 /profile/_all, last 24h: server CPU per answer', allCpuMs, 'ms', null);
    report('W3 /functions/_all, last 24h', await queryMs(server, '/functions/_all/?from=-24h&until=now', RUNS), 'ms', null);
    report('W3 /diff/_all, last 24h against w3-0 (base_host)', await queryMs(server, '/diff/_all/?from=-24h&until=now&base_host=w3-0&base_from=-24h&base_until=now', RUNS), 'ms', null);
    report('W3 disk per ingested entry', diskBytes(folder) / entries, 'bytes', 6);
    await compressionFigures(server, '/profile/_all/?from=-24h&until=now');
    const page = `${server.url}/graph/_all/?from=-24h&until=now`;
    const { measureDetailDraw, measurePageDraw } = await import('./page-draw.js');
    const identity = await measurePageDraw(page, RUNS, { compressed: false });
    const gzipped = await measurePageDraw(page, RUNS);
    report('W3 page drawn after its data arrives (_all, 24h, Chromium)', gzipped.afterDataMs, 'ms', 1000);
    report('W3 page, navigation to drawn graph, identity encoding (_all, 24h, 1920×1080)', identity.navigationMs, 'ms', 400);
    report('W3 page, navigation to drawn graph, gzip (_all, 24h, 1920×1080)', gzipped.navigationMs, 'ms', 400);
    const detailMs = await measureDetailDraw(`${server.url}/graph/_all/?from=-24h&until=now`, RUNS);
    if (detailMs === null) console.error('  W3 _all 24h draws no (other): no detail to time');
    else report('W3 click on (other) to its detail drawn (_all, 24h, Chromium)', detailMs, 'ms', null);
    return { hwm: peakRss(server.child.pid!), split: resident.highest() };
  } finally {
    resident.stop();
    await server.stop();
  }
}

// First, from when its figure was this process's RSS, which the earlier
// parts' stores and clients had raised by 300+ MB (933 MB after a whole run
// against 603 MB alone); its workload now has a process of its own
// (memory.ts). The browser benches are imported only when they run.
if (ONLY.has('memory')) await memoryOverTime();
if (ONLY.has('w1')) {
  await ingestThroughput();
  await collectionRound();
}
const peaks = [...(ONLY.has('w2') ? [await oneHostOneMonth()] : []), ...(ONLY.has('w3') ? [await fleetOneDay()] : [])];
if (peaks.length > 0) {
  const top = peaks.reduce((a, b) => (b.hwm > a.hwm ? b : a));
  report('peak server RSS (W2 and W3 servers)', top.hwm / 1024 ** 2, 'MB', 200);
  // What the highest sample of that server held: the store's mapped pages and code against heaps and buffers.
  report('  of it at its highest sample: file-backed (code, mapped store pages)', top.split.fileBacked / 1024 ** 2, 'MB', null);
  report('    of that the store\'s mapped pages', top.split.storeMapped / 1024 ** 2, 'MB', null);
  report('  of it at its highest sample: anonymous (heaps, buffers)', top.split.anonymous / 1024 ** 2, 'MB', null);
}
if (ONLY.has('w4')) await thousandHostsOneDay(RUNS);
if (ONLY.has('page')) await (await import('./page-navigation.js')).pageNavigation(RUNS);
if (ONLY.has('index')) await (await import('./index-page.js')).indexPageAtFleetSize(RUNS);
if (ONLY.has('push')) await pushEventLoopDelay(RUNS);
if (ONLY.has('readers')) await readersVsCollection();
if (ONLY.has('clickhouse')) await clickHouseComparison(RUNS);
if (ONLY.has('records')) await againstRecordPerStack(RUNS);
printTable(RUNS);
