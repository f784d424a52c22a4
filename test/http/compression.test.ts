import express from 'express';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, compressResponses } from '../../src/http/compression.js';
import { rawRequest } from '../support/raw-request.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { tempFolder } from '../support/temp-folder.js';

const GZIP = { 'Accept-Encoding': 'gzip, deflate, br' };
/** Repetitive like a flame tree's JSON, and well over the threshold. */
const bigObject = { children: Array.from({ length: 4000 }, (_, i) => ({ name: `handle_${i % 50}(app.views)`, value: i })) };
const bigText = 'serve(app);handle(app) 12\n'.repeat(40_000);

describe('compressResponses: gzip when asked, for text that shrinks', () => {
  let folder: string;
  let server: Server;
  let origin: string;
  before(async () => {
    folder = tempFolder('compression');
    writeFileSync(path.join(folder, 'big.txt'), bigText);
    const app = express();
    app.use(compressResponses());
    app.get('/big-json', (_req, res) => res.json(bigObject));
    app.get('/small-json', (_req, res) => res.json({ ok: true }));
    app.get('/file', (_req, res) => res.sendFile(path.join(folder, 'big.txt')));
    app.get('/image', (_req, res) => res.type('image/png').send(Buffer.alloc(100_000, 7)));
    app.get('/error', (_req, res) => res.status(500).json(bigObject));
    app.get('/chunks', (_req, res) => {
      // Written in many parts with backpressure, as a streamed answer is.
      res.type('text/plain');
      let left = 200;
      const more = () => {
        while (left > 0) {
          left -= 1;
          if (!res.write(bigText.slice(0, 20_000))) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test('a large JSON answer is gzipped, and gunzips to exactly the same JSON', async () => {
    const answer = await rawRequest(origin, 'GET', '/big-json', { headers: GZIP });
    assert.equal(answer.headers['content-encoding'], 'gzip');
    assert.match(String(answer.headers.vary), /Accept-Encoding/);
    assert.equal(answer.headers['content-length'], undefined);
    assert.deepEqual(JSON.parse(gunzipSync(answer.body).toString()), bigObject);
    assert.ok(answer.body.length < JSON.stringify(bigObject).length / 5, `${answer.body.length} bytes`);
  });

  test('without Accept-Encoding the same answer goes out as it is', async () => {
    const answer = await rawRequest(origin, 'GET', '/big-json');
    assert.equal(answer.headers['content-encoding'], undefined);
    assert.match(String(answer.headers.vary), /Accept-Encoding/);
    assert.deepEqual(JSON.parse(answer.body.toString()), bigObject);
  });

  test('a file sent from disk is gzipped whole', async () => {
    const answer = await rawRequest(origin, 'GET', '/file', { headers: GZIP });
    assert.equal(answer.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(answer.body).toString(), bigText);
  });

  test('an answer written in parts under backpressure arrives whole', async () => {
    const answer = await rawRequest(origin, 'GET', '/chunks', { headers: GZIP });
    assert.equal(answer.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(answer.body).toString(), bigText.slice(0, 20_000).repeat(200));
  });

  for (const [what, route, headers] of [
    ['a small answer', '/small-json', GZIP],
    ['a binary type', '/image', GZIP],
    ['an error answer', '/error', GZIP],
    ['a client refusing gzip (q=0)', '/big-json', { 'Accept-Encoding': 'gzip;q=0, *' }],
  ] as const) {
    test(`${what} goes out uncompressed, with its length`, async () => {
      const answer = await rawRequest(origin, 'GET', route, { headers });
      assert.equal(answer.headers['content-encoding'], undefined);
      assert.equal(Number(answer.headers['content-length']), answer.body.length);
    });
  }

  test('HEAD is answered with headers only, uncompressed', async () => {
    const answer = await rawRequest(origin, 'HEAD', '/big-json', { headers: GZIP });
    assert.equal(answer.headers['content-encoding'], undefined);
    assert.equal(answer.body.length, 0);
  });
});

describe('acceptsGzip reads Accept-Encoding', () => {
  const cases: Array<[string | undefined, boolean]> = [
    [undefined, false],
    ['', false],
    ['identity', false],
    ['gzip', true],
    ['GZIP;q=0.5', true],
    ['br, gzip;q=0', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['deflate, *;q=0.1', true],
  ];
  for (const [header, expected] of cases) {
    test(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(acceptsGzip(header), expected));
  }
});

describe('the real server compresses its API and static files', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer('[collector]\nsecret_header = s\nhosts = web1=127.0.0.1:9\ninterval = 3600\n');
  });
  after(() => server.stop());

  test('a vendor file: gzip when asked, the same bytes once gunzipped', async () => {
    const plain = await rawRequest(server.url, 'GET', '/vendor/d3.min.js');
    const gzipped = await rawRequest(server.url, 'GET', '/vendor/d3.min.js', { headers: GZIP });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gzipped.body).equals(plain.body));
  });

  // Gzipped once, not streamed through zlib on every page load.
  test('a vendor file goes out whole, with its length, and a revalidation is a 304', async () => {
    const gzipped = await rawRequest(server.url, 'GET', '/vendor/d3.min.js', { headers: GZIP });
    assert.equal(Number(gzipped.headers['content-length']), gzipped.body.length);
    assert.equal(gzipped.headers['cache-control'], 'public, max-age=86400');
    assert.match(String(gzipped.headers.vary), /Accept-Encoding/);
    const again = await rawRequest(server.url, 'GET', '/vendor/d3.min.js', { headers: { ...GZIP, 'If-None-Match': String(gzipped.headers.etag) } });
    assert.equal(again.status, 304);
    const head = await rawRequest(server.url, 'HEAD', '/vendor/d3.min.js');
    assert.equal(Number(head.headers['content-length']), (await rawRequest(server.url, 'GET', '/vendor/d3.min.js')).body.length);
  });
});
