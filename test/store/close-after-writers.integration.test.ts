import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { spawnOwned } from '../support/child-processes.js';
import { tempFolder } from '../support/temp-folder.js';

const FIXTURES = new URL('../fixtures/lmdb-writer/', import.meta.url).pathname;
/** The C++ function of lmdb-js's writer thread where it is held (see hold-notify.c). */
const HELD_FUNCTION = '_ZN11ExtendedEnv19notifyUserCallbacksE';
const ROUNDS = 6;
const REPOSITORY = new URL('../../', import.meta.url).pathname;

/** The path of the native library lmdb loads in a Node process like this one, as /proc/self/maps names it; '' if none. */
function lmdbLibrary(): string {
  const script = `import { readFileSync } from 'node:fs';
    await import('lmdb');
    const mapped = readFileSync('/proc/self/maps', 'utf8').split('\\n').find((line) => line.includes('/@lmdb/'));
    console.log(mapped?.split(' ').pop() ?? '');`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPOSITORY, encoding: 'utf8' }).trim();
}

/** hold-notify.so built in a temp folder, with where it holds the writer, or why it cannot be. */
function buildHold(): { library: string; environment: Record<string, string> } | { skip: string } {
  try {
    execFileSync('cc', ['--version']);
    execFileSync('nm', ['--version']);
  } catch {
    return { skip: 'cc or nm is not installed (Debian: apt-get install gcc); the close is not tested against a held writer thread' };
  }
  const lmdb = lmdbLibrary();
  const symbol = lmdb === '' ? undefined : execFileSync('nm', ['-S', lmdb], { encoding: 'utf8' }).split('\n').find((line) => line.includes(HELD_FUNCTION));
  if (symbol === undefined) return { skip: `lmdb's library (${lmdb || 'not found'}) has no ${HELD_FUNCTION} to hold its writer in` };
  const [offset, size] = symbol.split(' ');
  const library = path.join(tempFolder('hold-notify'), 'hold-notify.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', library, path.join(FIXTURES, 'hold-notify.c'), '-ldl']);
  return { library, environment: { LMDB_LIBRARY: lmdb, HOLD_OFFSET: offset!, HOLD_SIZE: size!, HOLD_US: '200000' } };
}

describe('closing the store', () => {
  const hold = buildHold();
  it('waits for every write batch\'s writer thread, not only the last batch\'s', { skip: 'skip' in hold ? hold.skip : false }, async () => {
    if ('skip' in hold) return;
    const child = spawnOwned(process.execPath, ['--import', 'tsx', path.join(FIXTURES, 'close-after-overlapping-batches.ts'), tempFolder('close-after-writers'), String(ROUNDS)], {
      env: { ...process.env, ...hold.environment, LD_PRELOAD: hold.library },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': it comes once the child's output has been read to its end.
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (...ended) => resolve(ended)));
    // The writer was held: the test reached the window it is about.
    assert.match(stderr, /\[writer held\]/);
    assert.deepEqual({ code, signal, stdout }, { code: 0, signal: null, stdout: Array.from({ length: ROUNDS }, (_, round) => `closed ${round}\n`).join('') }, stderr);
  });
});
