import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

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
  // example/config.ini as shipped (port 9999, collecting from localhost:9999 every 2 s), in a fresh store.
  const folder = mkdtempSync(path.join(tmpdir(), 'lp-demo-'));
  const config = path.join(folder, 'config.ini');
  const example = readFileSync(path.join(REPO, 'example/config.ini'), 'utf8');
  writeFileSync(config, example.replace('dbpath = /tmp/liveprofiler/', `dbpath = ${path.join(folder, 'db')}`));
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', '--config', config], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  try {
    let frames = new Set<string>();
    const ownFrame = /^\S.* \((src|dist)\/[\w/.-]+\.(ts|js):\d+\)$/;
    for (let attempt = 0; attempt < 60 && ![...frames].some((name) => ownFrame.test(name)); attempt++) {
      await sleep(500);
      // Give the server some work to be caught doing: its own API and collector.
      const response = await fetch('http://localhost:9999/profile/localhost%3A9999/').catch(() => null);
      if (response?.ok) frames = frameNames((await response.json()) as FlameNode);
    }
    assert.ok([...frames].some((name) => ownFrame.test(name)), `no frame from the server's own files among ${frames.size} frames:\n${[...frames].slice(0, 40).join('\n')}\n${output}`);
    assert.ok(!frames.has('(idle)'), 'idle time is not CPU time');
    const hosts = (await (await fetch('http://localhost:9999/hosts')).json()) as { hosts: { name: string; lastError: unknown }[] };
    assert.deepEqual(hosts.hosts.map((host) => [host.name, host.lastError]), [['localhost:9999', null]]);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
});
