import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MANUAL_COOLDOWN_MS } from '../../src/collector/collector.js';
import type { HostReport } from '../../src/collector/host-report.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { freePort, liveprofilerHandler, startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';
import { foldedDump } from './formats/folded-dump.js';

const SECRET = 's3cr3t';
const GOOD = JSON.stringify({ stacks: [{ frame: 'main(app);work(app)', count: 5 }] });
const MAX_BODY = 64 * 1024;

/** Each misbehaving host, and the reason the collector must give for it. */
const BAD_HOSTS: Record<string, { start: () => Promise<FakeSampler | string>; reason: RegExp }> = {
  down: { start: async () => `127.0.0.1:${await freePort()}`, reason: /^request failed: .*ECONNREFUSED/ },
  silent: { start: () => startFakeSampler(() => undefined), reason: /^timed out after 1 s$/ },
  dripping: {
    start: () =>
      startFakeSampler((_req, res) => {
        res.writeHead(200);
        const drip = setInterval(() => res.write('{'), 100);
        res.on('close', () => clearInterval(drip));
      }),
    reason: /^timed out after 1 s$/,
  },
  failing: { start: () => startFakeSampler((_req, res) => void res.writeHead(500).end('oops')), reason: /^answered HTTP 500$/ },
  huge: { start: () => startFakeSampler((_req, res) => void res.writeHead(200, { 'Content-Length': MAX_BODY + 1 }).end('x'.repeat(MAX_BODY + 1))), reason: /^body larger than the 65536 byte cap$/ },
  streaming: {
    start: () =>
      startFakeSampler(async (_req, res) => {
        res.writeHead(200);
        for (let i = 0; i < 100 && !res.destroyed; i += 1) {
          res.write('a;b 1\n'.repeat(10_000));
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.end();
      }),
    reason: /^body larger than the 65536 byte cap$/,
  },
  garbled: { start: () => startFakeSampler(liveprofilerHandler(SECRET, () => '{"stacks": [{"frame"')), reason: /^body is not valid JSON$/ },
  html: { start: () => startFakeSampler(liveprofilerHandler(SECRET, () => '<html><body>Welcome to nginx!</body></html>', 'text/html')), reason: /^body is neither JSON nor folded stacks/ },
  shapeless: { start: () => startFakeSampler(liveprofilerHandler(SECRET, () => '{"stacks": 7}')), reason: /^JSON "stacks" is not an array$/ },
};

describe('hosts that are down, slow, wrong, hostile or huge', () => {
  const started: FakeSampler[] = [];
  let elsewhere: FakeSampler;
  let good: FakeSampler;
  let server: ServerProcess;
  let first: { hosts: HostReport[] };

  before(async () => {
    const hosts: string[] = [];
    for (const [name, bad] of Object.entries(BAD_HOSTS)) {
      const target = await bad.start();
      if (typeof target === 'string') hosts.push(`${name}=${target}`);
      else {
        started.push(target);
        hosts.push(`${name}=${target.hostPort}`);
      }
    }
    // A sampler elsewhere that would accept the secret: the collector must never send it there.
    elsewhere = await startFakeSampler(liveprofilerHandler(SECRET, () => GOOD));
    const redirecting = await startFakeSampler((_req, res) => void res.writeHead(302, { Location: `${elsewhere.origin}/liveprofiler` }).end());
    const movedHere = await startFakeSampler((req, res) =>
      req.url === '/liveprofiler' ? void res.writeHead(301, { Location: '/v2/liveprofiler' }).end() : liveprofilerHandler(SECRET, () => GOOD)(req, res),
    );
    const partlyBad = await startFakeSampler(
      liveprofilerHandler(SECRET, () => JSON.stringify({ stacks: [{ frame: 'main(app);ok(app)', count: 3 }, { frame: 'main(app);neg(app)', count: -2 }, { frame: '', count: 1 }, { count: 4 }] })),
    );
    good = await startFakeSampler(liveprofilerHandler(SECRET, () => GOOD));
    started.push(elsewhere, redirecting, movedHere, partlyBad, good);
    hosts.push(`redirecting=${redirecting.hostPort}`, `moved=${movedHere.hostPort}`, `partly=${partlyBad.hostPort}`, `good=${good.hostPort}`);
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 3600\ntimeout = 1\nmax_body_size = 64kb\n`);
    first = (await getJson(`${server.url}/collector/`)).body;
  });
  after(async () => {
    await server?.stop();
    await Promise.all(started.map((s) => s.close()));
  });

  const report = (host: string) => first.hosts.find((h) => h.host === host)!;

  for (const [name, bad] of Object.entries(BAD_HOSTS)) {
    test(`${name}: the reason is reported and nothing is stored`, () => {
      assert.match(report(name).error ?? '(no error)', bad.reason);
      assert.equal(report(name).entries, 0);
    });
  }

  test('a redirect to another host is refused and the secret never reaches it', () => {
    assert.equal(report('redirecting').error, `redirected to another host (${elsewhere.origin}); not followed`);
    assert.equal(elsewhere.requests.length, 0);
  });

  test('a redirect within the same host is followed', () => {
    assert.deepEqual(report('moved'), { host: 'moved', entries: 1, stacks: 1, samples: 5, skipped: 0, skipped_reasons: {}, error: null });
  });

  test('bad entries are skipped and counted, the good ones kept', () => {
    assert.deepEqual(report('partly'), { host: 'partly', entries: 1, stacks: 1, samples: 3, skipped: 3, skipped_reasons: { 'count is not a whole number from 0 to 4294967296': 1, 'frame is not a non-empty string': 2 }, error: null });
  });

  test('the good host is collected in the same round', () => {
    assert.deepEqual(report('good'), { host: 'good', entries: 1, stacks: 1, samples: 5, skipped: 0, skipped_reasons: {}, error: null });
  });

  test('each failure is logged once, with the host and the reason, and never the secret', () => {
    const failures = server.logs.filter((line) => line.msg === 'collection failed');
    assert.deepEqual(failures.map((line) => line.host).sort(), [...Object.keys(BAD_HOSTS), 'redirecting'].sort());
    for (const line of failures) assert.equal(line.reason, report(String(line.host)).error);
    assert.ok(!JSON.stringify(server.logs).includes(SECRET));
  });

  test('the server stays up, stores only the accepted data, and shows each reason on /hosts', async () => {
    await sleep(MANUAL_COOLDOWN_MS);
    const second = (await getJson(`${server.url}/collector/`)).body as { hosts: HostReport[] };
    assert.equal(second.hosts.find((h) => h.host === 'good')!.error, null);
    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400, maintenanceIntervalMs: 0 });
    try {
      const now = Date.now() / 1000 + 60;
      for (const name of [...Object.keys(BAD_HOSTS), 'redirecting']) {
        assert.equal(store.read([name], 0, now).size, 0, name);
        assert.match(store.status(name).lastError?.reason ?? '', BAD_HOSTS[name]?.reason ?? /redirected/);
      }
      assert.equal(foldedDump(store.read(['good'], 0, now)), 'main(app);work(app) 10');
      assert.equal(foldedDump(store.read(['partly'], 0, now)), 'main(app);ok(app) 6');
    } finally {
      await store.close();
    }
  });
});
