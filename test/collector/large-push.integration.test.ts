import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MAX_STACKS } from '../../src/collector/formats/parsed-samples.js';
import { parseFoldedStacks } from '../../src/collector/formats/folded.js';
import { serviceLikeStacks } from '../support/folded-bodies.js';
import { rawRequest } from '../support/raw-request.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { foldedDump } from './formats/folded-dump.js';

const SECRET = 'large-push-s3cr3t';
const TIME = Math.floor(Date.now() / 1000) - 3600;

/** Samples of `host` stored at TIME as two readers see them: 0 while the host is unknown (404). */
async function storedSamples(server: ServerProcess, host: string): Promise<{ timeline: number; profile: number }> {
  const timeline = await rawRequest(server.url, 'GET', `/timeline/${host}/?from=${TIME - 59}&until=${TIME}`);
  const profile = await rawRequest(server.url, 'GET', `/profile/${host}/?from=${TIME}&until=${TIME}&max_nodes=10`);
  const read = <T>({ status, body }: { status: number; body: Buffer }, value: (answer: T) => number) => {
    if (status === 404) return 0;
    assert.equal(status, 200, body.toString());
    return value(JSON.parse(body.toString()) as T);
  };
  return {
    timeline: read(timeline, (answer: { samples: number[] }) => answer.samples.reduce((sum, samples) => sum + samples, 0)),
    profile: read(profile, (answer: { value: number }) => answer.value),
  };
}

describe('a push of max_stacks new stacks, stored in turns of the event loop', () => {
  let server: ServerProcess;
  /** Pushes `body`; its last byte is sent only once `beforeLastByte` resolves. */
  const push = (host: string, body: Buffer, beforeLastByte?: () => Promise<void>) =>
    rawRequest(server.url, 'POST', `/ingest?host=${host}&time=${TIME}`, {
      headers: { 'Profiler-Token': SECRET, 'Content-Length': String(body.length) },
      parts: [body.subarray(0, -1), body.subarray(-1)],
      between: beforeLastByte,
    });

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = idle=127.0.0.1:9\ninterval = 86400\nmax_stacks = ${DEFAULT_MAX_STACKS}\n`);
  });
  after(() => server.stop());

  test('is stored exactly, is seen by readers all at once, and /hosts is answered while it is stored', async () => {
    const body = serviceLikeStacks(DEFAULT_MAX_STACKS, 'whole_');
    const expected = parseFoldedStacks(body.toString()).stacks;
    const total = [...expected.values()].reduce((sum, count) => sum + count, 0);
    let acknowledged = false;
    let lastByteSent = false;
    // The server has long read all but the last byte by then: what follows it is parsing and storing.
    const pushed = push('big', body, async () => {
      await sleep(1000);
      lastByteSent = true;
    }).finally(() => (acknowledged = true));

    // Back-to-back /hosts requests and readers of the host until the push is answered.
    let hostsWhileStoring = 0;
    const seen: Array<{ timeline: number; profile: number }> = [];
    const probing = (async () => {
      while (!acknowledged) {
        const sentAfterBody = lastByteSent;
        const hosts = await rawRequest(server.url, 'GET', '/hosts');
        assert.equal(hosts.status, 200);
        if (sentAfterBody && !acknowledged) hostsWhileStoring++;
      }
    })();
    const reading = (async () => {
      while (!acknowledged) seen.push(await storedSamples(server, 'big'));
    })();
    const answer = await pushed;
    await Promise.all([probing, reading]);

    assert.equal(answer.status, 200, answer.body.toString());
    assert.deepEqual(JSON.parse(answer.body.toString()).stacks, DEFAULT_MAX_STACKS);
    for (const { timeline, profile } of seen) {
      assert.ok(timeline === 0 || timeline === total, `a reader saw ${timeline} of ${total} samples in /timeline`);
      assert.ok(profile === 0 || profile === total, `a reader saw ${profile} of ${total} samples in /profile`);
    }
    // Parsed and stored in turns: /hosts is answered again and again meanwhile (in one piece, a few times at most).
    assert.ok(hostsWhileStoring >= 20, `only ${hostsWhileStoring} /hosts answers while the push was parsed and stored`);
    assert.deepEqual(await storedSamples(server, 'big'), { timeline: total, profile: total });
    const folded = await rawRequest(server.url, 'GET', `/profile/big/?from=${TIME}&until=${TIME}&format=folded&max_nodes=&threshold=`);
    assert.equal(foldedDump(parseFoldedStacks(folded.body.toString()).stacks), foldedDump(expected));
  });

  test('one distinct stack over max_stacks is refused with the reason, and nothing of it is stored', async () => {
    const body = Buffer.concat([serviceLikeStacks(DEFAULT_MAX_STACKS, 'over_'), Buffer.from('\nmain;one_more 1')]);
    const answer = await push('over', body);
    assert.equal(answer.status, 400);
    assert.equal(JSON.parse(answer.body.toString()).error, `more than ${DEFAULT_MAX_STACKS} distinct stacks in one body (the [collector] max_stacks limit); the body is refused`);
    assert.deepEqual(await storedSamples(server, 'over'), { timeline: 0, profile: 0 });
  });
});
