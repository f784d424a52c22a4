import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stackCountsToFolded } from '../../src/profile/stack-counts-to-folded.js';
import { randomStacks } from '../support/seeded-random.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'export-s3cr3t';

describe('a folded export pushed back through POST /ingest', () => {
  let server: ServerProcess;
  const push = async (host: string, time: number, body: string) => {
    const response = await fetch(`${server.url}/ingest?host=${host}&time=${time}`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });
    assert.equal(response.status, 200, await response.text());
  };

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n`);
  });
  after(() => server.stop());

  test('gives the same tree and the same function totals as the original', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stacks = randomStacks(71, { names: 30, stacks: 2000, maxDepth: 25, maxCount: 500 });
    await push('original', now - 300, stackCountsToFolded(stacks));
    await push('original', now - 200, 'main(app);late(app) 9\n');
    const exported = await fetch(`${server.url}/profile/original/?from=${now - 3600}&until=${now}&format=folded`);
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-disposition')!, /^attachment; filename="original_\d{8}T\d{6}Z_\d{8}T\d{6}Z\.folded"$/);
    await push('copy', now - 100, await exported.text());

    const range = `from=${now - 3600}&until=${now}`;
    const [original, copy] = await Promise.all(['original', 'copy'].map((host) => getJson(`${server.url}/functions/${host}/?${range}`)));
    assert.ok(original.body.total > 0);
    assert.equal(copy.body.total, original.body.total);
    assert.deepEqual(copy.body.functions, original.body.functions);
    const [originalTree, copyTree] = await Promise.all(['original', 'copy'].map((host) => getJson(`${server.url}/profile/${host}/?${range}`)));
    const { meta: _a, ...originalRest } = originalTree.body;
    const { meta: _b, ...copyRest } = copyTree.body;
    assert.deepEqual(copyRest, originalRest);
  });
});
