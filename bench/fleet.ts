/**
 * The fleet benchmark (issue 8, "one hung host throttles every host"): the
 * built server pulls 400 loopback fake samplers at interval 1 s with a 5 s
 * timeout, 20 % of them hung (they accept the connection and the request and
 * never answer). Prints how often each good host was pulled, counted at the
 * samplers over a measured window after a warm-up longer than the timeout,
 * scaled to a minute; the target is one pull per tick, 60 a minute.
 *
 *   npm run bench:fleet    (FLEET_SECONDS, FLEET_HOSTS, FLEET_HUNG_SHARE, FLEET_MAX_CONCURRENT change the run)
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../test/support/fake-sampler.js';
import { startServer } from '../test/support/server-process.js';
import { parseExposition, sampleValue } from '../test/support/prometheus-exposition.js';
import { cpuSeconds, median, peakRss } from './measure.js';
import { generateCollection, generateVocabulary, seededRandom, zipfSampler } from './workload.js';

const HOSTS = Number(process.env.FLEET_HOSTS ?? 400);
const HUNG_SHARE = Number(process.env.FLEET_HUNG_SHARE ?? 0.2);
const SECONDS = Number(process.env.FLEET_SECONDS ?? 30);
/** Longer than the timeout, so the hung hosts' pulls are in their steady state of one pull, then skips. */
const WARM_UP_SECONDS = 8;
const MAX_CONCURRENT = process.env.FLEET_MAX_CONCURRENT;
/** A sampler at 100 Hz read every second: about 100 samples over a vocabulary the whole fleet shares. */
const SAMPLES_PER_PULL = 100;
const SECRET = 'fleet';

async function main(): Promise<void> {
  const vocabulary = generateVocabulary(8, 5000);
  const samplers: Array<{ name: string; hung: boolean; sampler: FakeSampler }> = [];
  for (let i = 0; i < HOSTS; i++) {
    // Every fifth host hangs: spread through the list, as failures are in a real fleet.
    const hung = i % Math.round(1 / HUNG_SHARE) === 0;
    if (hung) {
      samplers.push({ name: `hung${i}`, hung, sampler: await startFakeSampler(() => new Promise<void>(() => undefined)) });
      continue;
    }
    const draw = zipfSampler(vocabulary.length, 1.1, seededRandom(1000 + i));
    const stacks = [...generateCollection(vocabulary, draw, SAMPLES_PER_PULL)].map(([frame, count]) => ({ frame, count }));
    const body = JSON.stringify({ elapsed: 1, granularity: 0.01, stacks });
    samplers.push({ name: `good${i}`, hung, sampler: await startFakeSampler(liveprofilerHandler(SECRET, () => body)) });
  }
  const hosts = samplers.map(({ name, sampler }) => `${name}=${sampler.hostPort}`).join(', ');
  const limits = MAX_CONCURRENT === undefined ? '' : `max_concurrent = ${MAX_CONCURRENT}\n`;
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts}\ninterval = 1\ntimeout = 5\n${limits}`, { built: true, logLevel: 'info' });
  try {
    console.error(`${HOSTS} hosts (${samplers.filter((s) => s.hung).length} hung), interval 1 s, timeout 5 s, max_concurrent ${MAX_CONCURRENT ?? 'default'}: warming up ${WARM_UP_SECONDS} s, measuring ${SECONDS} s`);
    await sleep(WARM_UP_SECONDS * 1000);
    const before = samplers.map(({ sampler }) => sampler.requests.length);
    const cpuBefore = cpuSeconds(server.child.pid!);
    const benchCpuBefore = cpuSeconds(process.pid);
    const started = performance.now();
    await sleep(SECONDS * 1000);
    const seconds = (performance.now() - started) / 1000;
    const cpu = (cpuSeconds(server.child.pid!) - cpuBefore) / seconds;
    const benchCpu = (cpuSeconds(process.pid) - benchCpuBefore) / seconds;
    const perMinute = (hung: boolean) =>
      samplers.flatMap(({ hung: isHung, sampler }, i) => (isHung === hung ? [((sampler.requests.length - before[i]) * 60) / seconds] : []));
    const good = perMinute(false);
    const hung = perMinute(true);
    const maxInFlight = Math.max(...samplers.filter((s) => s.hung).map(({ sampler }) => sampler.maxActive));
    const outcomes = new Map<string, number>();
    const scrape = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    for (const sample of scrape.samples) {
      if (sample.name !== 'liveprofiler_host_collections_total') continue;
      const key = `${sample.labels.outcome}/${sample.labels.reason}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + sample.value);
    }
    const show = (values: number[]) => `min ${Math.min(...values).toFixed(1)}, median ${median(values).toFixed(1)}, max ${Math.max(...values).toFixed(1)}`;
    console.log(`measured over ${seconds.toFixed(1)} s, scaled to a minute`);
    console.log(`pulls per good host per minute: ${show(good)}   (target ~60)`);
    console.log(`pulls per hung host per minute: ${show(hung)}   (one per timeout + tick: ~10)`);
    console.log(`most pulls of one hung host in flight at once: ${maxInFlight}`);
    const pulls = samplers.reduce((sum, { sampler }, i) => sum + sampler.requests.length - before[i], 0);
    console.log(`server CPU: ${(cpu * 100).toFixed(0)} % of one core, ${((cpu * seconds * 1000) / pulls).toFixed(2)} ms a pull; this process (the samplers): ${(benchCpu * 100).toFixed(0)} %`);
    const meanMs = (name: string, labels: Record<string, string> = {}) =>
      ((sampleValue(scrape, `${name}_sum`, labels) ?? NaN) / (sampleValue(scrape, `${name}_count`, labels) ?? NaN)) * 1000;
    console.log(
      `mean host pull (hung ones' 5 s included): ${meanMs('liveprofiler_host_pull_duration_seconds').toFixed(0)} ms, mean tick: ${meanMs('liveprofiler_collection_duration_seconds', { trigger: 'schedule' }).toFixed(0)} ms`,
    );
    console.log(`server peak RSS: ${(peakRss(server.child.pid!) / 1024 ** 2).toFixed(0)} MB`);
    const reasons = new Map<string, number>();
    for (const line of server.logs) {
      if (line.msg !== 'collection failed' || String(line.host).startsWith('hung')) continue;
      const reason = String(line.reason).replace(/\d+/g, 'N');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    console.log(`good hosts' failures: ${reasons.size === 0 ? 'none' : [...reasons].map(([reason, count]) => `${count}× ${reason}`).join('; ')}`);
    console.log(`load average of the machine (1 min): ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`);
    console.log(`outcomes since start (from /metrics): ${[...outcomes].map(([key, count]) => `${key} ${count}`).join(', ')}`);
  } finally {
    await server.stop();
    await Promise.all(samplers.map(({ sampler }) => sampler.close()));
  }
}

await main();
