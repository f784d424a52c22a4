import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeMapBytes } from '../../src/store/layout.js';
import { getJson, startServer } from '../support/server-process.js';

const GIB = 1024 ** 3;
const limits = (soft: string, hard = 'unlimited') =>
  'Limit                     Soft Limit           Hard Limit           Units     \n' +
  'Max data size             unlimited            unlimited            bytes     \n' +
  `Max address space         ${soft.padEnd(20)} ${hard.padEnd(20)} bytes     \n`;

describe('the address space the store maps', () => {
  it('is 64 GB without a limit, or where the limit leaves four times that', () => {
    assert.equal(storeMapBytes(limits('unlimited')), 64 * GIB);
    assert.equal(storeMapBytes(undefined), 64 * GIB);
    assert.equal(storeMapBytes(limits(String(256 * GIB))), 64 * GIB);
  });

  it('is a quarter of a lower soft limit, in whole megabytes, however small', () => {
    assert.equal(storeMapBytes(limits(String(8_000_000 * 1024), 'unlimited')), 1953 * 1024 ** 2);
    assert.equal(storeMapBytes(limits(String(16 * GIB))), 4 * GIB);
    assert.equal(storeMapBytes(limits('1000')), 1024 ** 2);
  });

  // lmdb-js crashed the whole process (a segmentation fault) when a 64 GB map was refused.
  // The built server: tsx's WebAssembly alone reserves more than 8 GB of address space.
  it('lets a server under `ulimit -v` of 8 GB store and answer', { skip: process.platform !== 'linux' && 'ulimit -v is Linux here' }, async () => {
    const secret = 'address-space-s3cr3t';
    const server = await startServer(`[collector]\nsecret_header = ${secret}\nhosts = 127.0.0.1:9\ninterval = 3600\n`, { addressSpaceKiB: 8_000_000, built: true });
    try {
      const pushed = await getJson(`${server.url}/ingest?host=limited`, {
        method: 'POST', body: 'main(job);step(job) 7\n', headers: { 'Profiler-Token': secret },
      });
      assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
      const profile = await getJson(`${server.url}/profile/limited/?from=-1h`);
      assert.equal(profile.body.value, 7);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});
