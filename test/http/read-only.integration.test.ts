import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openRawConnection } from '../support/raw-connection.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'collector-s3cr3t';
const READ_ONLY_REASON = /^this server does not collect \(\[collector\] enabled = 0\)/;

describe('a read-only visualizer ([collector] enabled = 0) beside a collecting server on one dbpath', () => {
  let collecting: ServerProcess;
  let readOnly: ServerProcess;
  const now = () => Math.floor(Date.now() / 1000);
  const push = (host: string, body: string) =>
    getJson(`${collecting.url}/ingest?host=${host}&time=${now() - 5}`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });

  before(async () => {
    collecting = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n`);
    assert.equal((await push('early', 'main(app);work(app) 5\n')).status, 200);
    // No secret, no hosts: neither is needed to read.
    readOnly = await startServer('[collector]\nenabled = 0\n', { dbpath: collecting.dbpath });
  });
  after(async () => {
    await readOnly?.stop();
    await collecting?.stop();
  });

  test('shows what the collecting server stored before and after it started', async () => {
    assert.equal((await push('late', 'main(app);late(app) 7\n')).status, 200);
    const { body: hosts } = await getJson(`${readOnly.url}/hosts`);
    assert.deepEqual(hosts.hosts.map((host: { name: string }) => host.name).sort(), ['early', 'late']);
    const { status, body } = await getJson(`${readOnly.url}/profile/_all/?from=-1h`);
    assert.equal(status, 200);
    assert.equal(body.value, 12);
  });

  test('GET /collector/ is refused with the reason, and nothing is collected on a schedule', async () => {
    const { status, body } = await getJson(`${readOnly.url}/collector/`);
    assert.equal(status, 403);
    assert.match(body.error, READ_ONLY_REASON);
    assert.ok(readOnly.logs.some((line) => line.msg === 'read-only: [collector] enabled = 0, nothing is collected or accepted'));
    assert.ok(!readOnly.logs.some((line) => line.msg === 'collection done'));
  });

  test('POST /ingest is refused with the reason before any body is read', async () => {
    const connection = await openRawConnection(readOnly.port);
    connection.socket.write(`POST /ingest?host=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\nmain 1`);
    const answer = await connection.waitFor(/\}$/, 10_000);
    assert.match(answer, /^HTTP\/1\.1 403 /);
    assert.match(JSON.parse(answer.slice(answer.indexOf('{'))).error, READ_ONLY_REASON);
  });
});
