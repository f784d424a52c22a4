import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnOwned } from '../support/child-processes.js';
import { freePort } from '../support/fake-sampler.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = ['shop-web-1', 'shop-web-2', 'checkout-api', 'billing-worker'];

interface HostRow {
  name: string;
  configured: boolean;
  lastSuccess: number | null;
}

/** Runs `npm run demo:fleet`'s script (against the build in dist/, as npm test leaves it) with a day of history. */
describe('npm run demo:fleet', () => {
  let port: number;
  let url: string;
  let output = '';
  let demo: ChildProcess;
  let exited: Promise<number | null>;

  const waitForOutput = async (text: string, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline || demo.exitCode !== null) assert.fail(`no '${text}' in the demo's output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(url + path);
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };

  before(async () => {
    assert.ok(existsSync(`${REPO}dist/server.js`), 'the demo runs the build: npm run build first');
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Ended by SIGTERM, never SIGKILL: the demo stops the server and services it started and deletes its store.
    demo = spawnOwned(process.execPath, ['--import', 'tsx', 'scripts/demo-fleet.ts', '--port', String(port), '--history-days', '1'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    }, { endWith: 'SIGTERM' });
    demo.stdout!.on('data', (chunk) => (output += chunk));
    demo.stderr!.on('data', (chunk) => (output += chunk));
    exited = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
  });

  after(async () => {
    if (demo.exitCode === null) {
      demo.kill('SIGTERM');
      await exited;
    }
  });

  it('prints the URL of its own server, loads the history, and collects from its services', async () => {
    await waitForOutput(`demo:fleet: open ${url}/ `, 30_000);
    await waitForOutput('demo:fleet: history loaded', 120_000);

    const { hosts } = await getJson<{ hosts: HostRow[] }>('/hosts');
    assert.deepEqual(hosts.map((host) => host.name).sort(), [...SERVICES, 'nightly-reports'].sort());
    assert.ok(hosts.every((host) => host.configured === SERVICES.includes(host.name)), 'the nightly job only pushes');
    // The first pull comes within one 10 s interval.
    const deadline = Date.now() + 15_000;
    let pulled: HostRow[] = [];
    while (Date.now() < deadline) {
      pulled = (await getJson<{ hosts: HostRow[] }>('/hosts')).hosts.filter((host) => host.configured && host.lastSuccess !== null);
      if (pulled.length === SERVICES.length) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(pulled.length, SERVICES.length, 'every service was pulled');
  });

  it('has a day of history with the regression in its second half only', async () => {
    const early = JSON.stringify(await getJson('/profile/shop-web-1/?from=-1d&until=-14h'));
    const late = JSON.stringify(await getJson('/profile/shop-web-1/?from=-10h'));
    assert.ok(!early.includes('snapshot(shop.serializers)'), 'no regression in the first half');
    assert.ok(late.includes('deepcopy(copy)'), 'the regression in the second half');
    const day = await getJson<{ step: number; interval: number; samples: number[] }>('/timeline/checkout-api/?from=-1d&until=-2h');
    assert.equal(day.interval, 600, 'history arrives every 10 minutes');
    assert.ok(day.samples.slice(1).every((samples) => samples > 0), 'a day with no gap');
    const recent = await getJson<{ step: number; interval: number; samples: number[] }>('/timeline/checkout-api/?from=-15m');
    assert.equal(recent.interval, 10, 'the last hour of history is at the collector\'s pace');
    assert.ok(recent.samples.slice(1, -1).every((samples) => samples > 0), `the last 15 minutes with no gap: ${recent.samples}`);
  });

  it('stops cleanly on Ctrl-C: its server and services exit, exit code 0', async () => {
    demo.kill('SIGINT');
    assert.equal(await exited, 0, output);
    const store = /demo:fleet stopped; its store (\S+) is deleted\n$/.exec(output);
    assert.ok(store, output);
    assert.ok(!existsSync(store[1]), `${store[1]} is gone`);
    await assert.rejects(fetch(`${url}/hosts`), 'the server no longer answers');
  });
});
