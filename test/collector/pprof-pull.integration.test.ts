import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import type { CollectionReport } from '../../src/collector/collector.js';
import { parsePprof } from '../../src/collector/formats/pprof.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { spawnOwned } from '../support/child-processes.js';
import { startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { samplesUnder, type FlameNode } from '../support/flame-node.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';
import { tempFolder } from '../support/temp-folder.js';
import { fixture, foldedDump } from './formats/folded-dump.js';
import { DEFAULT_BODY_LIMITS } from '../../src/collector/formats/parsed-samples.js';

const SECRET = 'pull-s3cr3t';
const PROFILE_SECONDS = 2;
const RECORDED_AT = 1_700_000_000n;

/** Starts a producer that prints its port on its first line of output; resolves with the child and port. */
async function startProducer(command: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnOwned(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().split('\n')[0])));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  });
  return { child, port };
}

/** Builds the 20-line net/http/pprof program in a temp folder, or says why it cannot. */
function buildGoProducer(): string | { skip: string } {
  try {
    execFileSync('go', ['version']);
  } catch {
    return { skip: 'go is not installed (Debian: apt-get install golang-go); the Go producer is not tested' };
  }
  const work = tempFolder('go-pprof');
  const binary = path.join(work, 'go-serve');
  const source = fixture('pprof/go-serve/main.go');
  execFileSync('go', ['build', '-o', binary, source], { env: { ...process.env, GOCACHE: path.join(work, 'cache'), GO111MODULE: 'off' } });
  return binary;
}

function samplesOf(report: CollectionReport, host: string) {
  return report.hosts.find((entry) => entry.host === host)!;
}

describe('pprof endpoints pulled as hosts', () => {
  const producers: ChildProcess[] = [];
  let fixtureHost: FakeSampler;
  let server: ServerProcess;
  let report: CollectionReport;
  const goBinary = buildGoProducer();
  const goSkip = typeof goBinary === 'string' ? false : goBinary.skip;
  // A recorded Go profile, said to have been taken at a known time in the past.
  const recorded = Profile.decode(gunzipSync(readFileSync(fixture('pprof/go-cpu.pb.gz'))));
  recorded.timeNanos = RECORDED_AT * 1_000_000_000n;
  const fixtureBytes = gzipSync(recorded.encode());

  before(async () => {
    // Without TurboFan: once busyServed is optimized, its performance.now() is a fast API call, and
    // samples taken inside one lose the calling JS frame (the profile names performance.now under
    // processImmediate, no busyServed). Seen in full test runs on a loaded machine.
    const node = await startProducer(process.execPath, ['--no-opt', '--import', 'tsx', fixture('pprof/serve-datadog.ts')]);
    producers.push(node.child);
    const hosts = [`node=http://127.0.0.1:${node.port}/debug/pprof/profile?seconds=${PROFILE_SECONDS}`];
    if (typeof goBinary === 'string') {
      const go = await startProducer(goBinary, []);
      producers.push(go.child);
      hosts.push(`go=http://127.0.0.1:${go.port}/debug/pprof/profile?seconds=${PROFILE_SECONDS}`);
    }
    fixtureHost = await startFakeSampler((_req, res) => void res.writeHead(200).end(fixtureBytes));
    hosts.push(`recorded=${fixtureHost.origin}/debug/pprof/profile`);
    // A timeout shorter than the profile: the pull must add the profile's seconds to it.
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 3600\ntimeout = 1\n`);
    report = (await getJson(`${server.url}/collector/`)).body as CollectionReport;
  });
  // Also after a failed before(): a producer or server left running would keep this file's process alive.
  after(async () => {
    for (const child of producers) child.kill();
    await server?.stop();
    await fixtureHost?.close();
  });

  const profile = async (host: string) => (await getJson(`${server.url}/profile/${host}/?threshold=0`)).body as FlameNode;

  test('a Node service serving @datadog/pprof: collected, its busy function dominant', async () => {
    const node = samplesOf(report, 'node');
    assert.equal(node.error, null);
    assert.ok(report.duration_ms >= PROFILE_SECONDS * 1000, `the pull waited for the profile: ${report.duration_ms} ms`);
    const tree = await profile('node');
    assert.equal(tree.value, node.samples);
    // V8's time profiler files some samples of a tight loop under its caller (here the immediate's
    // processImmediate) without the loop's own frame: the loop's callback path holds most samples,
    // and the busy function is named among them.
    assert.ok(samplesUnder(tree, 'processImmediate (') > tree.value * 0.5, JSON.stringify(tree).slice(0, 2000));
    assert.ok(samplesUnder(tree, 'busyServed (') > 0, JSON.stringify(tree).slice(0, 2000));
  });

  test("Go's net/http/pprof: collected, its busy function dominant", { skip: goSkip }, async () => {
    const go = samplesOf(report, 'go');
    assert.equal(go.error, null);
    assert.ok(go.samples >= 10, `${go.samples} samples in ${PROFILE_SECONDS} s at 100 Hz`);
    const tree = await profile('go');
    assert.ok(samplesUnder(tree, 'main.busyGoServed (') > tree.value * 0.5, JSON.stringify(tree).slice(0, 2000));
  });

  test("the collection is stamped with the profile's own end, not the time of the pull", async () => {
    const expected = parsePprof(fixtureBytes, DEFAULT_BODY_LIMITS)!;
    const at = Number(RECORDED_AT) + Math.floor(expected.elapsed!);
    assert.equal(expected.profiledUntil, at);
    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400 * 365 * 10, maintenanceIntervalMs: 0 });
    try {
      assert.equal(foldedDump(store.read(['recorded'], at, at)), foldedDump(expected.stacks));
      assert.equal(store.read(['recorded'], at + 1, report.time + 60).size, 0);
    } finally {
      await store.close();
    }
  });
});
