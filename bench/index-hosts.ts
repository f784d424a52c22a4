/**
 * The index's costs at fleet size: GET /hosts with sparklines (one batched
 * request for every row, 1h and 1d) over many hosts, the host list every
 * query route works out on the main thread before its answer is looked for
 * or built, and forgetting a host that holds a week of per-minute
 * collections. In-process, on a real LMDB.
 *
 *   node --import tsx bench/index-hosts.ts     (BENCH_HOSTS=N, default 500)
 */
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { HostLists } from '../src/visualizer/host-lists.js';
import { hostsToRead, knownHosts, listHosts } from '../src/visualizer/host-names.js';
import { LastHourSamples } from '../src/visualizer/last-hour-samples.js';
import { sparklinesOf, type SparkSpan } from '../src/visualizer/sparklines.js';
import { medianMs } from './measure.js';
import { tempFolder } from './workload-server.js';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 500);
const DAY = 86_400;
const NOW = 1_714_564_800;

const folder = tempFolder('index');
const store = openStackStore({ path: folder, retentionSeconds: 30 * DAY, clock: () => NOW * 1000, maintenanceIntervalMs: 0 });
try {
  const stacks = new Map(Array.from({ length: 20 }, (_, i) => [`main;handler${i % 5};leaf${i}`, 1 + i]));
  const names = Array.from({ length: HOSTS }, (_, i) => `web${i}`);
  // A day of collections every 10 minutes per host, and the last hour every minute.
  const writes: Array<Promise<void>> = [];
  for (const name of names) {
    for (let t = NOW - DAY; t < NOW - 3600; t += 600) writes.push(store.write(name, t, stacks));
    for (let t = NOW - 3600; t <= NOW; t += 60) writes.push(store.write(name, t, stacks));
  }
  await Promise.all(writes);
  await store.maintain();
  const plain = await medianMs(5, async () => listHosts(knownHosts([], store), [], store, NOW, new LastHourSamples(store)));
  console.log(`GET /hosts, ${HOSTS} hosts: ${plain.toFixed(1)} ms (median of 5)`);
  // Pages polling together: within one second and with no write between, each host's last hour is remembered.
  const lastHour = new LastHourSamples(store);
  const remembered = await medianMs(5, async () => listHosts(knownHosts([], store), [], store, NOW, lastHour));
  console.log(`GET /hosts, ${HOSTS} hosts, again within the same second: ${remembered.toFixed(2)} ms (median of 5)`);
  // The collecting server a second later, no write between: each host's hour is slid to the new second, not read again.
  const sliding = new LastHourSamples(store, { ownWrites: true, retentionSeconds: 30 * DAY });
  let second = NOW;
  listHosts(knownHosts([], store), [], store, second, sliding);
  const slid = await medianMs(5, async () => listHosts(knownHosts([], store), [], store, ++second, sliding));
  console.log(`GET /hosts, ${HOSTS} hosts, a second later with no write between: ${slid.toFixed(2)} ms (median of 5)`);
  for (const span of ['1h', '1d'] as SparkSpan[]) {
    const ms = await medianMs(5, async () => {
      const hosts = listHosts(knownHosts([], store), [], store, NOW, new LastHourSamples(store));
      sparklinesOf(store, hosts.map((host) => host.name), span, NOW);
    });
    console.log(`GET /hosts?spark=${span}, ${HOSTS} hosts: ${ms.toFixed(1)} ms (median of 5)`);
  }
  // What every query request works out on the main thread before its answer is looked for or built.
  const collectingLists = new HostLists([], store, { ownWrites: true });
  const readOnlyLists = new HostLists([], store, { ownWrites: false });
  for (const selector of ['_all', `web${HOSTS - 1}`, '{__type__="cpu"}']) {
    const worked = await medianMs(21, async () => hostsToRead(selector, [], store));
    const kept = await medianMs(21, async () => collectingLists.of(selector));
    const compared = await medianMs(21, async () => readOnlyLists.of(selector));
    console.log(`host list of ${selector} among ${HOSTS} hosts: worked out ${worked.toFixed(3)} ms, remembered ${kept.toFixed(4)} ms, on a read-only server ${compared.toFixed(3)} ms (medians of 21)`);
  }
  const weekWrites: Array<Promise<void>> = [];
  for (let t = NOW - 7 * DAY; t <= NOW; t += 60) weekWrites.push(store.write('old-host', t, stacks));
  await Promise.all(weekWrites);
  await store.maintain();
  const started = performance.now();
  const forgotten = await store.forget('old-host');
  console.log(`forget a week of per-minute collections: ${(performance.now() - started).toFixed(0)} ms, ${JSON.stringify(forgotten)}`);
} finally {
  await store.close();
}
