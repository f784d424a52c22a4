import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { spawnOwned } from '../support/child-processes.js';
import { samplesUnder, type FlameNode } from '../support/flame-node.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'agent-s3cr3t';
const AGENT = new URL('../fixtures/pyroscope/busy-agent.ts', import.meta.url).pathname;

interface SeenRequest {
  line: string;
  authorization: string | undefined;
  contentType: string | undefined;
  status: number;
}

/** A loopback proxy in front of the server that records every request line the agent sent, and the answer. */
async function recordingProxy(target: string): Promise<{ url: string; seen: SeenRequest[]; server: Server }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      seen.push({ line: `${req.method} ${req.url}`, authorization: req.headers.authorization, contentType: req.headers['content-type'], status: answer.status });
      res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('the real @pyroscope/nodejs agent pushing to /ingest', () => {
  let server: ServerProcess;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n`);
    proxy = await recordingProxy(server.url);
    const agent = spawnOwned(process.execPath, ['--import', 'tsx', AGENT], {
      env: { ...process.env, LP_SERVER: proxy.url, LP_SECRET: SECRET, LP_RUN_MS: '4000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    agent.stdout!.on('data', (chunk) => (output += chunk));
    agent.stderr!.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => agent.once('exit', resolve));
    assert.equal(code, 0, `the agent's app failed:\n${output}`);
  });
  after(async () => {
    proxy.server.close();
    await server.stop();
  });

  test('it pushes gzipped pprof with Pyroscope parameters and the secret as a Bearer token', (t) => {
    assert.ok(proxy.seen.length >= 4, `pushes: ${proxy.seen.length}`);
    for (const request of proxy.seen) {
      t.diagnostic(`${request.line} -> ${request.status}`);
      assert.match(
        request.line,
        /^POST \/ingest\?format=pprof&from=\d+&name=busyapp%7B[^&]*region%3Deu%7D&spyName=nodespy&until=\d+(&sampleRate=\d+)?$/,
      );
      assert.equal(request.authorization, `Bearer ${SECRET}`);
      assert.equal(request.contentType, 'application/octet-stream');
    }
    // Wall profiles (with CPU time) are stored; heap profiles are refused, as they hold no samples of time.
    const wall = proxy.seen.filter((request) => request.line.includes('&sampleRate='));
    assert.ok(wall.length >= 2);
    assert.ok(wall.every((request) => request.status === 200));
    assert.ok(proxy.seen.filter((request) => !request.line.includes('&sampleRate=')).every((request) => request.status === 400));
  });

  test('its CPU and wall series appear apart, each named by the app, its labels and the profile type', async () => {
    const { body } = await getJson(`${server.url}/hosts`);
    const names: string[] = body.hosts.map((host: { name: string }) => host.name).filter((name: string) => name.startsWith('busyapp'));
    assert.equal(names.length, 2, names.join('\n'));
    for (const type of ['cpu', 'wall']) {
      assert.ok(
        names.some((name) => new RegExp(`^busyapp\\{__type__=${type},otel\\.scope\\.name=[^,]+,.*process\\.runtime\\.name=nodejs,.*region=eu\\}$`).test(name)),
        `${type} series in ${names.join(', ')}`,
      );
    }
  });

  test('its frames are in /profile, the busy functions in the proportion driven: wall 3:1:2, CPU 3:1:little', async (t) => {
    const profile = async (type: string) => {
      const selector = `busyapp{region="eu",__type__="${type}"}`;
      const { status, body: tree } = await getJson(`${server.url}/profile/${encodeURIComponent(selector)}/?threshold=0`);
      assert.equal(status, 200);
      return tree as FlameNode;
    };
    const wall = await profile('wall');
    const cpu = await profile('cpu');
    const [heavy, light, idle] = [':busyHeavy:', ':busyLight:', ':idleWait:'].map((part) => samplesUnder(wall, part));
    const report = `wall heavy ${heavy}, light ${light}, idle ${idle}`;
    assert.ok(heavy >= 40, report);
    assert.ok(heavy / light > 2 && heavy / light < 4.5, report);
    assert.ok(idle / light > 1.2 && idle / light < 3.5, report);
    const [cpuHeavy, cpuLight, cpuIdle] = [':busyHeavy:', ':busyLight:', ':idleWait:'].map((part) => samplesUnder(cpu, part));
    const cpuReport = `${report}; cpu heavy ${cpuHeavy}, light ${cpuLight}, idle ${cpuIdle}`;
    t.diagnostic(cpuReport);
    assert.ok(cpuHeavy / cpuLight > 2 && cpuHeavy / cpuLight < 4.5, cpuReport);
    // Blocked time is wall time, not CPU time (the agent charges a sample the CPU used since the last, so not quite 0).
    assert.ok(cpuIdle / cpuHeavy < idle / heavy / 2, cpuReport);
    // The app alone reads its CPU series, never CPU and wall summed.
    const app = (await getJson(`${server.url}/profile/busyapp/?threshold=0`)).body as FlameNode;
    assert.equal(app.value, cpu.value);
  });
});
