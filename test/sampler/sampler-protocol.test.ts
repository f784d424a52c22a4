import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { majorWork, minorWork } from '../fixtures/sampler/busy-work.js';
import { readSamples, samplesIn, serveSampler } from './serve-sampler.js';

const secret = 's3cr3t-for-the-protocol-test';

describe('sampler protocol (liveprofiler JSON over HTTP)', async () => {
  const { origin } = await serveSampler({ secret, intervalSeconds: 0.002 });

  it('refuses a wrong secret with 403 and an empty body', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': 'wrong' } });
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '');
  });

  it('refuses a missing secret with 403 and an empty body', async () => {
    const response = await fetch(`${origin}/liveprofiler`);
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '');
  });

  it('refuses the right secret in another header', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { headers: { 'X-Token': secret } });
    assert.equal(response.status, 403);
  });

  it('refuses a secret that only starts with the right one', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': `${secret}x` } });
    assert.equal(response.status, 403);
  });

  it('accepts the secret as Profiler-Token', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': secret } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const payload = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(payload).sort(), ['elapsed', 'granularity', 'stacks']);
    assert.equal(payload.granularity, 0.002);
    assert.equal(typeof payload.elapsed, 'number');
    assert.ok(Array.isArray(payload.stacks));
  });

  it('accepts the secret as PROFILER_TOKEN, the spelling old WSGI servers read', async () => {
    // undici sends header names with underscores as they are (RFC 9110 allows them).
    const response = await fetch(`${origin}/liveprofiler`, { headers: { PROFILER_TOKEN: secret } });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(((await response.json()) as { stacks: unknown }).stacks));
  });

  it('serves each sample once: a read right after a read holds only what ran in between', async () => {
    await readSamples(origin, secret);
    minorWork(150);
    const first = await readSamples(origin, secret);
    majorWork(150);
    const second = await readSamples(origin, secret);

    assert.ok(samplesIn(first, 'minorWork') > 10, 'the first read holds minorWork');
    assert.equal(samplesIn(first, 'majorWork'), 0);
    assert.ok(samplesIn(second, 'majorWork') > 10, 'the second read holds majorWork');
    assert.equal(samplesIn(second, 'minorWork'), 0, 'minorWork was served already');
    assert.ok(second.elapsed >= 0.15 && second.elapsed < first.elapsed + 5, 'elapsed counts from the previous read');
    for (const { frame, count } of [...first.stacks, ...second.stacks]) {
      assert.ok(frame.length > 0 && Number.isInteger(count) && count > 0, `${frame}: ${count}`);
      assert.ok(!frame.split(';').includes('(idle)'), 'idle time is not CPU time');
      assert.ok(!frame.split(';').includes('(root)'), 'the tree root is no frame');
    }
  });

  it('passes other routes through to the app', async () => {
    const response = await fetch(`${origin}/hello`, { headers: { 'Profiler-Token': secret } });
    assert.deepEqual(await response.json(), { route: 'hello', method: 'GET' });
  });

  it('passes other methods on its own route through to the app', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { method: 'POST', headers: { 'Profiler-Token': secret } });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { route: 'app post' });
  });

  it('leaves a route of the same name elsewhere to the app', async () => {
    const response = await fetch(`${origin}/liveprofiler/extra`, { headers: { 'Profiler-Token': secret } });
    assert.equal(response.status, 404);
  });
});

describe('a sampler that is not sampling', async () => {
  const { origin, sampler } = await serveSampler({ secret });
  await sampler.stop();

  it('answers {} once stopped: zero stacks, not an error', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': secret } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});
  });

  it('still refuses a wrong secret', async () => {
    const response = await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': 'nope' } });
    assert.equal(response.status, 403);
  });

  it('can be stopped twice', async () => {
    await sampler.stop();
  });
});

describe('a sampler on another path', async () => {
  const { origin } = await serveSampler({ secret, path: '/internal/samples' });

  it('serves its path and leaves /liveprofiler to the app', async () => {
    assert.equal((await fetch(`${origin}/internal/samples`, { headers: { 'Profiler-Token': secret } })).status, 200);
    assert.equal((await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': secret } })).status, 404);
  });
});
