import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';
import { foldedDump } from './formats/folded-dump.js';

const SECRET = 'push-s3cr3t';

describe('POST /ingest', () => {
  let server: ServerProcess;
  const push = (query: string, body: string, token: string | null = SECRET) =>
    getJson(`${server.url}/ingest?${query}`, { method: 'POST', body, headers: token === null ? {} : { 'Profiler-Token': token } });

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n`);
  });
  after(() => server.stop());

  test('stores a folded body at the given time and answers like /collector/ does for a host', async () => {
    const { status, body } = await push('host=backfill&time=1700000000', 'main(job);step(job) 7\nmain(job) 2\n');
    assert.equal(status, 200);
    assert.deepEqual(body, { host: 'backfill', entries: 2, stacks: 2, samples: 9, skipped: 0, skipped_reasons: {}, error: null });
  });

  test('stores a JSON body at now when no time is given', async () => {
    const { body } = await push('host=script', JSON.stringify({ stacks: [{ frame: 'a;b', count: 4 }] }));
    assert.equal(body.samples, 4);
  });

  test('refuses a wrong or missing secret with 403', async () => {
    assert.equal((await push('host=x', 'a 1', 'nope')).status, 403);
    assert.equal((await push('host=x', 'a 1', null)).status, 403);
  });

  test('refuses a time more than a few minutes ahead, and bad parameters, with a 400 naming them', async () => {
    const ahead = Math.floor(Date.now() / 1000) + 3600;
    const future = await push(`host=x&time=${ahead}`, 'a 1');
    assert.equal(future.status, 400);
    assert.match(future.body.error, /^time: .* in the future$/);
    assert.match((await push('host=x&time=yesterday', 'a 1')).body.error, /^time: cannot read/);
    assert.match((await push('time=1', 'a 1')).body.error, /^host: required/);
  });

  test('refuses a body in neither format with 400 and the reason', async () => {
    const { status, body } = await push('host=broken', '<html>nope</html>');
    assert.equal(status, 400);
    assert.match(body.error, /neither JSON nor folded/);
  });

  test('what was pushed reads back at its time, exactly', async () => {
    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400 * 365 * 10, maintenanceIntervalMs: 0 });
    try {
      assert.equal(foldedDump(store.read(['backfill'], 1700000000, 1700000000)), 'main(job) 2\nmain(job);step(job) 7');
      assert.equal(store.read(['backfill'], 1700000001, 1800000000).size, 0);
      assert.equal(foldedDump(store.read(['script'], 0, Date.now() / 1000 + 60)), 'a;b 4');
    } finally {
      await store.close();
    }
  });
});
