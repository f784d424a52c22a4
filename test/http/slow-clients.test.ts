import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openRawConnection, within, type RawConnection } from '../support/raw-connection.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const MAX_CONNECTIONS = 6;
const HEADER_TIMEOUT_S = 1;

/** A slowloris client: starts a request and sends one more header byte every 100 ms, never finishing. */
async function slowloris(port: number): Promise<RawConnection> {
  const connection = await openRawConnection(port);
  connection.socket.write('GET /hosts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const drip = setInterval(() => connection.socket.write('a'), 100);
  void connection.closed.then(() => clearInterval(drip));
  return connection;
}

describe('slow clients and many connections (real server, small limits)', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer(
      '[collector]\nsecret_header = s\nhosts = 127.0.0.1:9\ninterval = 3600\n' +
        `[server]\nheader_timeout = ${HEADER_TIMEOUT_S}\nrequest_timeout = 2\nmax_connections = ${MAX_CONNECTIONS}\n`,
    );
  });
  after(() => server.stop());

  test('slow clients are cut off at the header timeout, and a normal client is answered meanwhile', async () => {
    const slow = await Promise.all(Array.from({ length: MAX_CONNECTIONS - 2 }, () => slowloris(server.port)));
    const normal = await fetch(`${server.url}/hosts`, { headers: { Connection: 'close' } });
    assert.equal(normal.status, 200);
    await normal.json();
    // Node's default would hold them for a minute; a few seconds is the configured second plus its check interval.
    await within(Promise.all(slow.map((connection) => connection.closed)), 5_000, 'every slow client cut off');
    for (const connection of slow) assert.match(connection.received(), /^(HTTP\/1\.1 408 |$)/);
  });

  test('connections beyond max_connections are closed on arrival; the server answers again once the slow ones are cut', async () => {
    const slow = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => slowloris(server.port)));
    const extra = await openRawConnection(server.port);
    extra.socket.write('GET /hosts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await within(extra.closed, 5_000, 'the connection over the limit closed');
    assert.equal(extra.received(), '', 'refused without an answer');
    await within(Promise.all(slow.map((connection) => connection.closed)), 5_000, 'every slow client cut off');
    const after = await fetch(`${server.url}/hosts`, { headers: { Connection: 'close' } });
    assert.equal(after.status, 200);
    await after.json();
  });
});
