import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SKIPPED_NO_BUFFER_SPACE, SKIPPED_NO_SLOT, SKIPPED_STILL_RUNNING } from '../../src/collector/collector.js';
import type { HostReport } from '../../src/collector/host-report.js';
import { liveprofilerHandler, startFakeSampler, type FakeSampler, type SamplerHandler } from '../support/fake-sampler.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'cadence';
const BODY = JSON.stringify({ stacks: [{ frame: 'main(app);work(app)', count: 1 }] });

/** Accepts the connection and the request, and never answers. */
const hangs: SamplerHandler = () => new Promise<void>(() => undefined);

/** Requests in flight across several fake samplers: what a limit over all hosts must bound. */
function acrossSamplers() {
  const gauge = { active: 0, maxActive: 0 };
  const counted = (handler: SamplerHandler): SamplerHandler => (req, res: ServerResponse) => {
    gauge.active += 1;
    gauge.maxActive = Math.max(gauge.maxActive, gauge.active);
    res.once('close', () => (gauge.active -= 1));
    return handler(req, res);
  };
  return { gauge, counted };
}

function skips(server: ServerProcess, host: string, reason: string): number {
  return server.logs.filter((line) => line.msg === 'host skipped' && line.host === host && line.reason === reason).length;
}

async function stopAll(server: ServerProcess, samplers: FakeSampler[]): Promise<void> {
  await server.stop();
  await Promise.all(samplers.map((sampler) => sampler.close()));
}

test('a hung host holds back no other host: at interval 1 s and timeout 5 s good hosts are pulled every second', async () => {
  const hung = await startFakeSampler(hangs);
  const good = await Promise.all([0, 1, 2].map(() => startFakeSampler(liveprofilerHandler(SECRET, () => BODY))));
  const hosts = [`hung=${hung.hostPort}`, ...good.map((sampler, i) => `good${i}=${sampler.hostPort}`)];
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 1\ntimeout = 5\n`);
  try {
    while (hung.requests.length === 0) await sleep(20);
    const before = good.map((sampler) => sampler.requests.length);
    await sleep(2500);
    // While the hung host's first pull is in flight, every collection reports it skipped, and says why.
    const { body } = await getJson(`${server.url}/collector/`);
    assert.equal((body.hosts as HostReport[]).find((host) => host.host === 'hung')!.error, SKIPPED_STILL_RUNNING);
    assert.ok((body.hosts as HostReport[]).filter((host) => host.host.startsWith('good')).every((host) => host.error === null));
    await sleep(3500);
    // 6 s measured: 6 ticks. Before each host kept its own cadence, a round waited 5 s for the hung host: 1 or 2.
    for (const [i, sampler] of good.entries()) {
      const pulls = sampler.requests.length - before[i];
      assert.ok(pulls >= 4 && pulls <= 7, `good${i} was pulled ${pulls} times in 6 s at interval 1 s`);
    }
    assert.equal(hung.maxActive, 1, 'never two pulls of the hung host at once');
    assert.ok(hung.requests.length <= 2, `one pull per timeout at most, saw ${hung.requests.length}`);
    assert.ok(skips(server, 'hung', SKIPPED_STILL_RUNNING) >= 3);
    assert.ok(server.logs.some((line) => line.msg === 'collection failed' && line.host === 'hung' && line.reason === 'timed out after 5 s'));
  } finally {
    await stopAll(server, [hung, ...good]);
  }
});

test('max_concurrent bounds the pulls in flight across hosts; a host that gets no slot within its tick is skipped, not queued', async () => {
  const { gauge, counted } = acrossSamplers();
  const slow: SamplerHandler = async (req, res) => {
    await sleep(700);
    liveprofilerHandler(SECRET, () => BODY)(req, res);
  };
  const samplers = await Promise.all(Array.from({ length: 6 }, () => startFakeSampler(counted(slow))));
  const hosts = samplers.map((sampler, i) => `slow${i}=${sampler.hostPort}`);
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 1\ntimeout = 5\nmax_concurrent = 2\n`);
  try {
    await sleep(4000);
    assert.equal(gauge.maxActive, 2, 'the limit is reached and never passed');
    assert.ok(samplers.every((sampler) => sampler.maxActive <= 1));
    const noSlot = hosts.reduce((sum, _host, i) => sum + skips(server, `slow${i}`, SKIPPED_NO_SLOT), 0);
    assert.ok(noSlot >= 1, 'six 0.7 s pulls through two slots cannot all fit in a 1 s tick');
  } finally {
    await stopAll(server, samplers);
  }
});

test('when hung hosts hold every slot, the good host still gets its turns: it is not always at the back of the queue', async () => {
  // Two hung hosts take turns holding the one slot for their 2 s timeout; in config order they would always queue ahead of the good host.
  const hung = await Promise.all([0, 1].map(() => startFakeSampler(hangs)));
  const good = await startFakeSampler(liveprofilerHandler(SECRET, () => BODY));
  const hosts = [...hung.map((sampler, i) => `hung${i}=${sampler.hostPort}`), `good=${good.hostPort}`];
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 1\ntimeout = 2\nmax_concurrent = 1\n`);
  try {
    await sleep(9000);
    assert.ok(good.requests.length >= 1, 'the good host was never pulled');
    assert.ok(skips(server, 'good', SKIPPED_NO_SLOT) >= 1, 'the slot was short');
  } finally {
    await stopAll(server, [...hung, good]);
  }
});

test('max_buffered bounds body bytes held across hosts; a host that finds no room within its tick is skipped', async () => {
  // The hog sends 60 KB of a body and then stalls until its timeout, holding 60 of the 64 KB.
  const hog = await startFakeSampler((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(' '.repeat(60 * 1024));
    return new Promise<void>(() => undefined);
  });
  const padded = JSON.stringify({ stacks: [{ frame: `main(app);${'x'.repeat(30 * 1024)}(app)`, count: 1 }] });
  const other = await startFakeSampler(liveprofilerHandler(SECRET, () => padded));
  const server = await startServer(
    `[collector]\nsecret_header = ${SECRET}\nhosts = hog=${hog.hostPort}, other=${other.hostPort}\ninterval = 1\ntimeout = 5\nmax_body_size = 64kb\nmax_buffered = 64kb\n`,
  );
  try {
    await sleep(4000);
    assert.ok(skips(server, 'other', SKIPPED_NO_BUFFER_SPACE) >= 2, 'the 30 KB body does not fit beside the 60 KB held');
    assert.ok(other.requests.length >= 3, 'skipped each tick, tried again at the next');
    assert.equal(other.maxActive, 1);
  } finally {
    await stopAll(server, [hog, other]);
  }
});
