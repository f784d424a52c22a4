import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HostReport } from '../../src/collector/host-report.js';
import { freePort, startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 's3cr3t';
const PASSWORD = 'pa55word-in-url';
const API_KEY = 'api-key-in-query';
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;

describe('host URLs with credentials', () => {
  let sampler: FakeSampler;
  let server: ServerProcess;
  let reached: string;
  let down: string;
  let collection: { hosts: HostReport[] };

  before(async () => {
    // A sampler behind HTTP Basic auth that also wants an API key in the query.
    sampler = await startFakeSampler((req, res) => {
      const authorised = req.headers.authorization === BASIC && req.url === `/liveprofiler?apikey=${API_KEY}`;
      if (!authorised) return void res.writeHead(401).end();
      res.writeHead(200).end(JSON.stringify({ stacks: [{ frame: 'main(app)', count: 2 }] }));
    });
    const downPort = await freePort();
    reached = `http://***@${sampler.hostPort}/liveprofiler?apikey=***`;
    down = `http://***@127.0.0.1:${downPort}/liveprofiler?apikey=***`;
    const hosts = [
      `http://admin:${PASSWORD}@${sampler.hostPort}/liveprofiler?apikey=${API_KEY}`,
      `http://admin:${PASSWORD}@127.0.0.1:${downPort}/liveprofiler?apikey=${API_KEY}`,
    ];
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 3600\ntimeout = 2\n`);
    collection = (await getJson(`${server.url}/collector/`)).body;
  });
  after(async () => {
    await server?.stop();
    await sampler.close();
  });

  test('are fetched with the user-info as HTTP Basic credentials and the query as written', () => {
    assert.deepEqual(collection.hosts.map((host) => [host.host, host.samples]), [[reached, 2], [down, 0]]);
  });

  test('name unlabelled hosts by the URL with user-info and query values redacted', async () => {
    const { body } = await getJson(`${server.url}/hosts`);
    assert.deepEqual(body.hosts.map((host: { name: string }) => host.name), [reached, down]);
    const own = await getJson(`${server.url}/profile/${encodeURIComponent(reached)}/`);
    assert.equal(own.body.value, 2);
  });

  test('never show or log the credentials, not even in the error node-fetch writes for a host that is down', async () => {
    const failure = collection.hosts.find((host) => host.host === down)!;
    assert.match(failure.error ?? '', /^request failed: .*ECONNREFUSED/);
    const hosts = await (await fetch(`${server.url}/hosts`)).text();
    const index = await (await fetch(`${server.url}/collector/`)).text();
    for (const [where, text] of [['/hosts', hosts], ['/collector/', index], ['the logs', JSON.stringify(server.logs) + server.stderr()]]) {
      assert.ok(!text.includes(PASSWORD), `${where} shows the password`);
      assert.ok(!text.includes(API_KEY), `${where} shows the API key`);
    }
  });
});
