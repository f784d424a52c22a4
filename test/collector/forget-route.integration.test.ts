import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'forget-s3cr3t';
const LABELLED = 'shop{region="eu/west"}';

describe('DELETE /hosts/:host', () => {
  let server: ServerProcess;
  const forget = (host: string, headers: Record<string, string> = { 'Profiler-Token': SECRET }) =>
    getJson(`${server.url}/hosts/${encodeURIComponent(host)}`, { method: 'DELETE', headers });
  const push = (host: string, body: string) =>
    getJson(`${server.url}/ingest?host=${encodeURIComponent(host)}`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });
  const listed = async () => ((await getJson(`${server.url}/hosts`)).body.hosts as Array<{ name: string }>).map((host) => host.name);

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = web1=127.0.0.1:9\ninterval = 3600\n`);
    assert.equal((await push('typo-hsot', 'main;a 7\nmain;b 2\n')).status, 200);
    assert.equal((await push(LABELLED, 'main;a 5\n')).status, 200);
    assert.equal((await push('web1', 'main;a 1\n')).status, 200);
  });
  after(() => server.stop());

  test('refuses a missing or wrong secret with 403 before looking at the host, whatever it is', async () => {
    for (const host of ['typo-hsot', 'web1', 'nobody']) {
      assert.deepEqual(await forget(host, {}), { status: 403, body: { error: 'wrong or missing Profiler-Token' } });
      assert.equal((await forget(host, { 'Profiler-Token': 'nope' })).status, 403);
      assert.equal((await forget(host, { Authorization: 'Bearer nope' })).status, 403);
    }
    assert.ok((await listed()).includes('typo-hsot'));
  });

  test('answers 404 for a host it does not know', async () => {
    assert.deepEqual(await forget('nobody'), { status: 404, body: { error: 'unknown host: nobody' } });
  });

  test('answers 409 for a configured host, which keeps its samples', async () => {
    const { status, body } = await forget('web1');
    assert.equal(status, 409);
    assert.match(body.error, /^web1 is in \[collector\] hosts, and the collector would bring it back/);
    assert.equal((await getJson(`${server.url}/profile/web1/?from=-1h`)).body.value, 1);
  });

  test('deletes a pushed host and answers what went; its profile is then 404 and other hosts keep theirs', async () => {
    assert.deepEqual(await forget('typo-hsot', { Authorization: `Bearer ${SECRET}` }), {
      status: 200,
      body: { host: 'typo-hsot', buckets: 1, samples: 9, transactions: 1 },
    });
    assert.deepEqual(await listed(), ['web1', LABELLED]);
    assert.equal((await getJson(`${server.url}/profile/typo-hsot/?from=-1h`)).status, 404);
    assert.equal((await getJson(`${server.url}/profile/_all/?from=-1h`)).body.value, 6);
    assert.equal((await forget('typo-hsot')).status, 404, 'forgotten once');
    const logged = await server.waitForLog('host forgotten');
    assert.equal(logged.host, 'typo-hsot');
    assert.ok(!JSON.stringify(server.logs).includes(SECRET), 'the secret is never logged');
  });

  test('forgets a labelled series by its exact name, even with a / in a label', async () => {
    assert.deepEqual((await forget(LABELLED)).body, { host: LABELLED, buckets: 1, samples: 5, transactions: 1 });
    assert.deepEqual(await listed(), ['web1']);
  });
});

describe('DELETE /hosts/:host on a read-only server', () => {
  test('is refused with the reason, whatever the secret', async () => {
    const server = await startServer('[collector]\nenabled = 0\n');
    try {
      const { status, body } = await getJson(`${server.url}/hosts/anything`, { method: 'DELETE', headers: { 'Profiler-Token': 'x' } });
      assert.equal(status, 403);
      assert.match(body.error, /^this server does not collect \(\[collector\] enabled = 0\)/);
    } finally {
      await server.stop();
    }
  });
});
