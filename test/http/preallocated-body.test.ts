import express from 'express';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { preallocatedBody } from '../../src/http/preallocated-body.js';
import { jsonErrorHandler } from '../../src/http-error.js';
import { rawRequest } from '../support/raw-request.js';

/** Over the megabyte a chunked body is joined per turn, so the largest are joined in several turns. */
const LIMIT = 3 * 1024 * 1024;
const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const patterned = (length: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + 7) % 251));

describe('preallocatedBody: the body as express.raw reads it, without one long copy at its end', () => {
  let server: Server;
  let origin: string;
  /** Which reader took each request's body: the handler sees req.body, the readers say who read it. */
  const readBy: string[] = [];
  before(async () => {
    const app = express();
    app.post(
      '/echo',
      preallocatedBody(LIMIT),
      (req, _res, next) => {
        readBy.push(Buffer.isBuffer(req.body) ? 'preallocated' : 'express.raw');
        next();
      },
      express.raw({ type: () => true, limit: LIMIT }),
      (req, res) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        res.json({ length: body.length, digest: digest(body) });
      },
    );
    app.use(jsonErrorHandler({ error() {} }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const echo = async (parts: Uint8Array[], headers: Record<string, string> = {}) => {
    const { status, body } = await rawRequest(origin, 'POST', '/echo', { parts, headers, between: () => new Promise((resolve) => setTimeout(resolve, 5)) });
    return { status, answer: status === 200 ? JSON.parse(body.toString()) : body.toString() };
  };

  test('reads a body with a Content-Length itself, byte for byte, however its parts arrive', async () => {
    for (const length of [1, 100, 70_000, LIMIT]) {
      const body = patterned(length);
      const parts = [body.subarray(0, length >> 1), body.subarray(length >> 1, length - 1), body.subarray(length - 1)];
      readBy.length = 0;
      const { status, answer } = await echo(parts, { 'Content-Length': String(length) });
      assert.equal(status, 200, `${length} bytes`);
      assert.deepEqual(answer, { length, digest: digest(body) }, `${length} bytes`);
      assert.deepEqual(readBy, ['preallocated'], `${length} bytes`);
    }
  });

  test('reads a chunked body itself, byte for byte, joined in steps when it is over a megabyte', async () => {
    for (const length of [1, 50_000, LIMIT]) {
      const body = patterned(length);
      // Written in parts with no length, Node sends the body chunked.
      const parts = [body.subarray(0, 20_000), body.subarray(20_000)].filter((part) => part.length > 0);
      readBy.length = 0;
      const { status, answer } = await echo(parts);
      assert.equal(status, 200, `${length} bytes`);
      assert.deepEqual(answer, { length, digest: digest(body) }, `${length} bytes`);
      assert.deepEqual(readBy, ['preallocated'], `${length} bytes`);
    }
  });

  test('refuses a chunked body over the limit as express.raw does, once the client has sent it all', async () => {
    readBy.length = 0;
    const over = await echo([patterned(LIMIT), patterned(1)]);
    assert.equal(over.status, 413);
    assert.deepEqual(JSON.parse(over.answer), { error: 'request entity too large' });
    assert.deepEqual(readBy, [], 'no handler saw a body');
  });

  test('leaves encoded and oversized bodies to express.raw, which reads and limits them as before', async () => {
    const body = patterned(50_000);
    readBy.length = 0;
    assert.deepEqual((await echo([gzipSync(body)], { 'Content-Encoding': 'gzip' })).answer, { length: body.length, digest: digest(body) }, 'gzip');
    assert.deepEqual(readBy, ['express.raw']);
    const over = await echo([patterned(LIMIT + 1)], { 'Content-Length': String(LIMIT + 1) });
    assert.equal(over.status, 413);
  });
});
