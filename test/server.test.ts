import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { tempFolder } from './support/temp-folder.js';

const SERVER = new URL('../src/server.ts', import.meta.url).pathname;

function run(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SERVER, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the command line', () => {
  test('--help prints the usage and exits 0', () => {
    const { code, stdout } = run('--help');
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: liveprofiler --config PATH \[--port N\]/);
  });

  test('--version prints the package version', () => {
    const { code, stdout } = run('--version');
    assert.equal(code, 0);
    assert.match(stdout, /^liveprofiler \d+\.\d+\.\d+\n$/);
  });

  test('without --config it says so and exits non-zero', () => {
    const { code, stderr } = run();
    assert.equal(code, 1);
    assert.match(stderr, /^liveprofiler: --config PATH is required/);
  });

  test('a bad config stops start-up with one line naming the file, section and key', () => {
    const file = path.join(tempFolder('cli'), 'bad.ini');
    writeFileSync(file, '[global]\ndbpath = db\n[collector]\nhosts = a:1\n');
    const { code, stderr } = run('--config', file);
    assert.equal(code, 1);
    assert.equal(stderr, `liveprofiler: ${file}: [collector] secret_header: is required\n`);
  });

  test('a missing config file is named', () => {
    const { code, stderr } = run('--config', '/nonexistent/liveprofiler.ini');
    assert.equal(code, 1);
    assert.equal(stderr, 'liveprofiler: /nonexistent/liveprofiler.ini: cannot read the config file (ENOENT)\n');
  });

  test('a bad --port is refused', () => {
    const file = path.join(tempFolder('cli'), 'ok.ini');
    writeFileSync(file, '[global]\ndbpath = db\n[collector]\nsecret_header = s\nhosts = a:1\n');
    const { code, stderr } = run('--config', file, '--port', 'http');
    assert.equal(code, 1);
    assert.match(stderr, /--port: cannot read "http"/);
  });
});
