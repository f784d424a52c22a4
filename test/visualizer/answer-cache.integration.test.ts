import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'answers-s3cr3t';

/** Hits and misses of the kept answers, as the server's /metrics counts them. */
async function lookups(server: ServerProcess): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const count = (outcome: string): number => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`liveprofiler_answer_cache_lookups_total{outcome="${outcome}"} `));
    assert.ok(line !== undefined, `/metrics counts answer cache ${outcome}s`);
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { hit: count('hit'), miss: count('miss') };
}

describe('the real server keeps answers as [store] answer_cache says', () => {
  let server: ServerProcess;
  const push = (host: string, body: string) =>
    getJson(`${server.url}/ingest?host=${encodeURIComponent(host)}`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });
  const total = async (host: string): Promise<number> => {
    const { status, body } = await getJson(`${server.url}/profile/${host}/?from=-1h`);
    assert.equal(status, 200);
    return body.value as number;
  };

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = web1=127.0.0.1:9\ninterval = 3600\n[store]\nanswer_cache = 1MB\n`);
  });
  after(() => server.stop());

  test('a question asked again is a hit; a push or a forgotten host makes the next answer fresh', async () => {
    assert.equal((await push('web1', 'main;a 7\nmain;b 2\n')).status, 200);
    assert.equal((await push('pushed', 'main;c 5\n')).status, 200);
    const start = await lookups(server);
    assert.equal(await total('web1'), 9);
    assert.equal(await total('web1'), 9);
    assert.deepEqual(await lookups(server), { hit: start.hit + 1, miss: start.miss + 1 });
    assert.equal((await push('web1', 'main;a 1\n')).status, 200);
    assert.equal(await total('web1'), 10, 'the push is in the next answer');
    assert.equal(await total('_all'), 15);
    assert.equal(await total('_all'), 15);
    const forgotten = await getJson(`${server.url}/hosts/pushed`, { method: 'DELETE', headers: { 'Profiler-Token': SECRET } });
    assert.equal(forgotten.status, 200);
    assert.equal(await total('_all'), 10, 'the forgotten host is gone from the next answer');
    assert.deepEqual(await lookups(server), { hit: start.hit + 2, miss: start.miss + 4 });
  });
});

test('the real server with answer_cache = 0 looks nothing up', async () => {
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = web1=127.0.0.1:9\ninterval = 3600\n[store]\nanswer_cache = 0\n`);
  try {
    await getJson(`${server.url}/ingest?host=web1`, { method: 'POST', body: 'main;a 7\n', headers: { 'Profiler-Token': SECRET } });
    for (let i = 0; i < 2; i++) assert.equal((await getJson(`${server.url}/profile/web1/?from=-1h`)).body.value, 7);
    assert.deepEqual(await lookups(server), { hit: 0, miss: 0 });
  } finally {
    await server.stop();
  }
});

test('a read-only server keeps no answers and remembers no host set: its store revisions cannot see what the collecting process writes', async () => {
  const collecting = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = web1=127.0.0.1:9\ninterval = 3600\n`);
  const readOnly = await startServer('[collector]\nenabled = 0\n', { dbpath: collecting.dbpath });
  try {
    const now = Math.floor(Date.now() / 1000);
    const push = async (time: number, body: string, host = 'web1') => {
      const pushed = await getJson(`${collecting.url}/ingest?host=${host}&time=${time}`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });
      assert.equal(pushed.status, 200);
    };
    const total = async () => (await getJson(`${readOnly.url}/profile/web1/?from=-1h`)).body.value as number;
    await push(now - 100, 'main;a 7\n');
    await push(now - 10, 'main;b 2\n');
    assert.equal(await total(), 9);
    // Late, between the two: the seconds with samples in the range stay the same.
    await push(now - 50, 'main;c 5\n');
    assert.equal(await total(), 14);
    assert.deepEqual(await lookups(readOnly), { hit: 0, miss: 0 });
    // Nor does its host set: a host the collecting process first hears of is in the next _all.
    const lastSample = async () => (await getJson(`${readOnly.url}/last-data/_all/`)).body.lastSample as number;
    assert.equal(await lastSample(), now - 10);
    await push(now - 5, 'main;d 3\n', 'web2');
    assert.equal(await lastSample(), now - 5);
  } finally {
    await readOnly.stop();
    await collecting.stop();
  }
});
