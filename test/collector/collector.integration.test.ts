import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MANUAL_COOLDOWN_MS } from '../../src/collector/collector.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { foldedDump } from './formats/folded-dump.js';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'samplers3cr3t';
const PAYLOAD_2016 = JSON.stringify({
  elapsed: 1.2000219821929932,
  granularity: 0.001,
  stacks: [
    { count: 128, frame: 'test_sampler(test_sampler);testing_function2(test_sampler)' },
    { count: 126, frame: 'test_sampler(test_sampler);testing_function3(test_sampler)' },
    { count: 50, frame: 'test_sampler(test_sampler);testing_function(test_sampler)' },
    { count: 100, frame: 'test_sampler(test_sampler);testing_function(test_sampler)' },
  ],
});

/** Opens the server's store from this process too: a second reader on the same dbpath. */
function readAll(server: ServerProcess, host: string): string {
  const store: StackStore = openStackStore({ path: server.dbpath, retentionSeconds: 86400 * 365, maintenanceIntervalMs: 0 });
  try {
    return foldedDump(store.read([host], 0, Date.now() / 1000 + 60));
  } finally {
    void store.close();
  }
}

describe('the collector against samplers that speak the protocols exactly', () => {
  const samplers: FakeSampler[] = [];
  let server: ServerProcess;
  let folded: FakeSampler;
  let unstarted: FakeSampler;

  before(async () => {
    for (let i = 0; i < 3; i += 1) samplers.push(await startFakeSampler(liveprofilerHandler(SECRET, () => PAYLOAD_2016)));
    folded = await startFakeSampler(liveprofilerHandler(SECRET, () => 'elapsed 2.83\ngranularity 0.005\n<module>(__main__);serve(app);handle(app) 208\n<module>(__main__);idle(app) 12\n', null));
    unstarted = await startFakeSampler(liveprofilerHandler(SECRET, () => '{}', null));
    const hosts = [...samplers.map((s, i) => `py${i}=${s.hostPort}`), `folded=${folded.origin}/?reset=true`, `idle=${unstarted.hostPort}`];
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 3600\n`);
  });
  after(async () => {
    await server?.stop();
    await Promise.all([...samplers, folded, unstarted].map((s) => s.close()));
  });

  test('meets the 2016 tool expectations: 12 stacks collected, per host sums 128, 126 and 150', async () => {
    const { status, body } = await getJson(`${server.url}/collector/`);
    assert.equal(status, 200);
    assert.equal(body.hosts.filter((h: { host: string }) => h.host.startsWith('py')).reduce((sum: number, h: { entries: number }) => sum + h.entries, 0), 12);
    assert.equal(body.stacks_collected, 12 + 2);
    for (const host of ['py0', 'py1', 'py2']) {
      assert.deepEqual(
        body.hosts.find((h: { host: string }) => h.host === host),
        { host, entries: 4, stacks: 3, samples: 404, skipped: 0, skipped_reasons: {}, error: null },
      );
      assert.equal(
        readAll(server, host),
        [
          'test_sampler(test_sampler);testing_function(test_sampler) 150',
          'test_sampler(test_sampler);testing_function2(test_sampler) 128',
          'test_sampler(test_sampler);testing_function3(test_sampler) 126',
        ].join('\n'),
      );
    }
  });

  test('sends the secret once, as Profiler-Token, to /liveprofiler or to the URL as written', () => {
    for (const sampler of [...samplers, folded, unstarted]) {
      const request = sampler.requests.at(-1)!;
      assert.equal(request.headers['profiler-token'], SECRET);
      assert.equal(request.headers['profiler_token'], undefined);
      assert.equal(request.rawHeaders.filter((name) => name.toLowerCase().startsWith('profiler')).length, 1);
    }
    assert.equal(samplers[0].requests.at(-1)!.url, '/liveprofiler');
    assert.equal(folded.requests.at(-1)!.url, '/?reset=true');
  });

  test('reads folded text without a Content-Type, and {} from an unstarted sampler as zero stacks', async () => {
    await sleep(MANUAL_COOLDOWN_MS);
    const { body } = await getJson(`${server.url}/collector/`);
    assert.deepEqual(body.hosts.find((h: { host: string }) => h.host === 'folded'), { host: 'folded', entries: 2, stacks: 2, samples: 220, skipped: 0, skipped_reasons: {}, error: null });
    assert.deepEqual(body.hosts.find((h: { host: string }) => h.host === 'idle'), { host: 'idle', entries: 0, stacks: 0, samples: 0, skipped: 0, skipped_reasons: {}, error: null });
    assert.equal(readAll(server, 'folded'), '<module>(__main__);idle(app) 24\n<module>(__main__);serve(app);handle(app) 416');
  });

  test('joins a collection already running instead of starting a second', async () => {
    await sleep(MANUAL_COOLDOWN_MS);
    const before = samplers[0].requests.length;
    const [first, second] = await Promise.all([getJson(`${server.url}/collector/`), getJson(`${server.url}/collector/`)]);
    assert.equal(samplers[0].requests.length, before + 1);
    assert.deepEqual(first.body, second.body);
  });
});

describe('a sampler that refuses the secret', () => {
  test('is reported as a 403 and stores nothing', async () => {
    const sampler = await startFakeSampler(liveprofilerHandler('another secret', () => PAYLOAD_2016));
    const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${sampler.hostPort}\ninterval = 3600\n`);
    try {
      const { body } = await getJson(`${server.url}/collector/`);
      assert.equal(body.hosts[0].error, 'refused the secret (HTTP 403)');
      assert.equal(readAll(server, sampler.hostPort), '');
    } finally {
      await server.stop();
      await sampler.close();
    }
  });
});
