import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serviceLikeStacks } from '../support/folded-bodies.js';
import { parseExposition, sampleValue } from '../support/prometheus-exposition.js';
import { rawRequest } from '../support/raw-request.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'young-generation';
/** Enough new stacks, all alive until stored, for V8's default growth to take the young generation to its maximum. */
const PUSHED_STACKS = 100_000;
/** Both semispaces at the size V8 starts them with (1 MB each), with room for a page of rounding; V8's maximum here is 32 MB. */
const STARTING_NEW_SPACE_BYTES = 4 * 1024 * 1024;

/** The main thread's new space, both semispaces, as /metrics reports it. */
async function newSpaceBytes(server: ServerProcess): Promise<number> {
  const scrape = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
  const bytes = sampleValue(scrape, 'nodejs_heap_space_size_total_bytes', { space: 'new' });
  assert.ok(bytes !== undefined, '/metrics has no new space size');
  return bytes;
}

describe('the server keeps its young generation at its starting size', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = idle=127.0.0.1:9\ninterval = 86400\n`);
    // Until then V8's growth factor is the one the worker's start set back (see query-pool.ts).
    await server.waitForLog('query worker ready', 60_000);
  });
  after(() => server.stop());

  test('after a push of 100,000 new stacks, the main thread\'s new space has not grown', async () => {
    const push = await rawRequest(server.url, 'POST', `/ingest?host=pushed`, {
      headers: { 'Profiler-Token': SECRET },
      parts: [serviceLikeStacks(PUSHED_STACKS)],
    });
    assert.equal(push.status, 200, push.body.toString());
    const bytes = await newSpaceBytes(server);
    assert.ok(bytes <= STARTING_NEW_SPACE_BYTES, `new space ${bytes} bytes`);
  });
});
