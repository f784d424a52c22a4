import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MANUAL_COOLDOWN_MS } from '../../src/collector/collector.js';
import { liveprofilerHandler, startFakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer } from '../support/server-process.js';

const SECRET = 'cron-2016';
const BODY = JSON.stringify({ stacks: [{ frame: 'main(app);work(app)', count: 3 }] });

test('GET /collector/ cannot hammer the samplers: a burst of calls pulls each host once, and all get the same answer', async () => {
  const samplers = await Promise.all([0, 1, 2].map(() => startFakeSampler(liveprofilerHandler(SECRET, () => BODY))));
  const hosts = samplers.map((sampler, i) => `web${i}=${sampler.hostPort}`);
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 3600\n`);
  try {
    // 20 at once join one collection; 20 more right after it answer its result from the cool-down.
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => getJson(`${server.url}/collector/`)));
    const rapid = [];
    for (let i = 0; i < 20; i++) rapid.push(await getJson(`${server.url}/collector/`));
    const answers = [...concurrent, ...rapid];
    assert.ok(answers.every((answer) => answer.status === 200));
    for (const answer of answers) assert.deepEqual(answer.body, answers[0].body);
    assert.equal(answers[0].body.stacks_collected, 3);
    for (const sampler of samplers) assert.equal(sampler.requests.length, 1);

    // Once the cool-down is over, a call collects afresh.
    await sleep(MANUAL_COOLDOWN_MS);
    const later = await getJson(`${server.url}/collector/`);
    assert.ok(later.body.time >= answers[0].body.time);
    for (const sampler of samplers) assert.equal(sampler.requests.length, 2);
  } finally {
    await server.stop();
    await Promise.all(samplers.map((sampler) => sampler.close()));
  }
});
