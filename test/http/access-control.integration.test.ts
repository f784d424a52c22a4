import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SERVER = new URL('../../src/server.ts', import.meta.url).pathname;
const SECRET = 'push-s3cr3t';
const PASSWORD = 'pa55 wörd:with colon';
const TOKEN = 'api-t0ken-0123456789';

/** Runs the real CLI: `liveprofiler --hash-password` with `stdin`. */
function hashPasswordCli(stdin: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SERVER, '--hash-password'], { input: stdin, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('access control ([server] user, password_hash, token_sha256) on the real server', () => {
  let server: ServerProcess;
  const get = (path: string, authorization?: string) =>
    fetch(server.url + path, { headers: authorization === undefined ? {} : { Authorization: authorization } });

  before(async () => {
    const { code, stdout, stderr } = hashPasswordCli(`${PASSWORD}\n`);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^scrypt:32768:8:1:[\w-]+:[\w-]+\n$/);
    const tokenSha256 = createHash('sha256').update(TOKEN).digest('hex');
    server = await startServer(
      `[collector]\nsecret_header = ${SECRET}\nhosts = web1=127.0.0.1:9\ninterval = 3600\n` +
        `[server]\nuser = ops\npassword_hash = ${stdout.trim()}\ntoken_sha256 = ${tokenSha256}\n`,
    );
  });
  after(() => server?.stop());

  test('--hash-password refuses an empty password', () => {
    const { code, stderr } = hashPasswordCli('\n');
    assert.equal(code, 1);
    assert.equal(stderr, 'liveprofiler: --hash-password: no password on stdin\n');
  });

  test('pages, assets, the API and /collector/ answer 401 with a Basic challenge without credentials', async () => {
    for (const path of ['/', '/graph/web1/', '/assets/style.css', '/vendor/d3.min.js', '/hosts', '/profile/web1/', '/timeline/_all/', '/collector/', '/nowhere']) {
      const response = await get(path);
      assert.equal(response.status, 401, path);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="liveprofiler", charset="UTF-8", Bearer realm="liveprofiler"$/, path);
      assert.deepEqual(await response.json(), { error: 'credentials required' }, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', 'security headers on the refusal too');
    }
  });

  test('the right login opens them', async () => {
    for (const path of ['/', '/graph/web1/', '/assets/style.css', '/hosts', '/profile/web1/']) {
      const response = await get(path, basic('ops', PASSWORD));
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
  });

  test('a wrong password, a wrong user or a garbled header is 401', async () => {
    for (const authorization of [
      basic('ops', 'pa55 wörd'),
      basic('ops', `${PASSWORD} `),
      basic('Ops', PASSWORD),
      basic('', PASSWORD),
      basic('ops', ''),
      `Basic ${Buffer.from('ops').toString('base64')}`,
      'Basic %%%not-base64%%%',
      'Basic',
      basic('ops', 'x'.repeat(4000)),
    ]) {
      const response = await get('/hosts', authorization);
      assert.equal(response.status, 401, authorization.slice(0, 40));
      assert.deepEqual(await response.json(), { error: 'wrong credentials' });
    }
  });

  test('the bearer token opens them; any other token, of any length, is 401', async () => {
    assert.equal((await get('/hosts', `Bearer ${TOKEN}`)).status, 200);
    for (const token of [TOKEN.slice(0, -1), `${TOKEN}x`, '', 'x'.repeat(5000), createHash('sha256').update(TOKEN).digest('hex')]) {
      assert.equal((await get('/hosts', `Bearer ${token}`)).status, 401, token.slice(0, 40));
    }
  });

  test('a page load with one login (a dozen requests at once) is let in whole', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, () => get('/assets/style.css', basic('ops', PASSWORD)).then((r) => r.status)));
    assert.deepEqual(statuses, Array(12).fill(200));
  });

  test('/ingest keeps its own secret and needs no login; /healthz stays open for probes', async () => {
    const pushed = await getJson(`${server.url}/ingest?host=pushed`, { method: 'POST', body: 'a;b 3', headers: { 'Profiler-Token': SECRET } });
    assert.equal(pushed.status, 200);
    assert.equal(pushed.body.samples, 3);
    assert.equal((await fetch(`${server.url}/ingest?host=pushed`, { method: 'POST', body: 'a;b 3' })).status, 403);
    assert.notEqual((await get('/healthz')).status, 401);
  });
});
