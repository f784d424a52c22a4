import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { spawnOwned } from './support/child-processes.js';
import { freePort } from './support/fake-sampler.js';
import { tempFolder } from './support/temp-folder.js';

const REPO = new URL('../', import.meta.url).pathname;

interface FlameNode {
  name: string;
  children?: FlameNode[];
}

function frameNames(node: FlameNode, names = new Set<string>()): Set<string> {
  names.add(node.name);
  for (const child of node.children ?? []) frameNames(child, names);
  return names;
}

test('the example config is a self-contained demo: the server samples itself and shows its own source files', async () => {
  // example/config.ini as shipped (collecting from itself every 2 s), copied into a fresh folder so its
  // relative dbpath lands there, and moved from port 9999 to a free port of its own: a demo running
  // on 9999 must not answer for this test.
  const folder = tempFolder('demo');
  const config = path.join(folder, 'config.ini');
  const port = await freePort();
  const self = `localhost:${port}`;
  const example = readFileSync(path.join(REPO, 'example/config.ini'), 'utf8');
  assert.match(example, /^hosts=localhost:9999$/m);
  writeFileSync(config, example.replace('hosts=localhost:9999', `hosts=${self}`));
  const server = spawnOwned(process.execPath, ['--import', 'tsx', 'src/server.ts', '--config', config, '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  try {
    let frames = new Set<string>();
    const ownFrame = /^\S.* \((src|dist)\/[\w/.-]+\.(ts|js):\d+\)$/;
    for (let attempt = 0; attempt < 60 && ![...frames].some((name) => ownFrame.test(name)); attempt++) {
      await sleep(500);
      // Give the server some work to be caught doing: its own API and collector.
      const response = await fetch(`${base}/profile/${encodeURIComponent(self)}/`).catch(() => null);
      if (response?.ok) frames = frameNames((await response.json()) as FlameNode);
    }
    assert.ok([...frames].some((name) => ownFrame.test(name)), `no frame from the server's own files among ${frames.size} frames:\n${[...frames].slice(0, 40).join('\n')}\n${output}`);
    assert.ok(!frames.has('(idle)'), 'idle time is not CPU time');
    // Only the server this test started knows a host on this test's own port.
    const hosts = (await (await fetch(`${base}/hosts`)).json()) as { hosts: { name: string; lastError: unknown }[] };
    assert.deepEqual(hosts.hosts.map((host) => [host.name, host.lastError]), [[self, null]]);
    assert.ok(existsSync(path.join(folder, 'demo-data')), 'the demo keeps its store beside its config');
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
});
