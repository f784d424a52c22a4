import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { jsonErrorHandler } from '../../src/http-error.js';
import { accessControl } from '../../src/http/access-control.js';
import { hashPassword, parsePasswordHash } from '../../src/http/password-hash.js';
import { createLogger } from '../../src/log.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('accessControl, in-process', () => {
  let url: string;
  let close: () => void;
  before(async () => {
    // The CLI's cost, so each check takes long enough for the others to arrive meanwhile.
    const password = parsePasswordHash(await hashPassword('right'))!;
    const app = express();
    app.use(accessControl({ basic: { user: 'ops', password }, tokenSha256: null }, ['/open']));
    app.get(['/open', '/closed'], (_req, res) => {
      res.json({ ok: true });
    });
    app.use(jsonErrorHandler(createLogger('silent')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => {
      server.closeAllConnections();
      server.close();
    };
  });
  after(() => close());

  test('only the listed paths are open, by exact path', async () => {
    assert.equal((await fetch(`${url}/open`)).status, 200);
    assert.equal((await fetch(`${url}/closed`)).status, 401);
    assert.equal((await fetch(`${url}/open/`)).status, 401, 'a near spelling is not open');
    assert.equal((await fetch(`${url}/OPEN`)).status, 401);
  });

  test('a bearer token is refused when only Basic is configured, with only the Basic challenge', async () => {
    const response = await fetch(`${url}/closed`, { headers: { Authorization: 'Bearer anything' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Basic realm="liveprofiler", charset="UTF-8"');
  });

  test('a guesser gets at most four password checks at once; the rest are told to retry (429)', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fetch(`${url}/closed`, { headers: { Authorization: basic('ops', `guess-${i}`), Connection: 'close' } }).then((r) => r.status)),
    );
    assert.ok(statuses.every((status) => status === 401 || status === 429), statuses.join());
    assert.ok(statuses.filter((status) => status === 401).length >= 4, statuses.join());
    assert.ok(statuses.includes(429), statuses.join());
    // Once they are done, the right login still gets in.
    assert.equal((await fetch(`${url}/closed`, { headers: { Authorization: basic('ops', 'right') } })).status, 200);
  });
});
