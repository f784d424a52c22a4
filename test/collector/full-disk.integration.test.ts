import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MANUAL_COOLDOWN_MS } from '../../src/collector/collector.js';
import { liveprofilerHandler, startFakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer } from '../support/server-process.js';
import { incompressibleText, prng } from '../support/seeded-random.js';
import { mountSmallFileSystem } from '../support/tmpfs.js';

const SECRET = 'full-disk-s3cr3t';

/** A folded body of 300 stacks never sent before (about 60 KB, as much on disk), with 2 samples each. */
let bodies = 0;
const random = prng(7);
function freshFoldedBody(): string {
  bodies++;
  return Array.from({ length: 300 }, (_, i) => `main;body${bodies};frame${i};${incompressibleText(random, 180)} 2`).join('\n');
}

// The real server on a real full disk: a 4 MB tmpfs, which needs root to mount (CI runs as root).
const smallFs = mountSmallFileSystem(4);

describe('the server on a full disk', { skip: typeof smallFs === 'string' ? smallFs : false }, () => {
  it('answers 507 for what does not fit, keeps serving reads, and stores again once space is freed, without a restart', async () => {
    if (typeof smallFs === 'string') return;
    const filler = path.join(smallFs.path, 'filler');
    writeFileSync(filler, Buffer.alloc(1024 * 1024, 1));
    // A sampler whose every answer needs new dictionary entries, so the collector fills the disk too.
    const sampler = await startFakeSampler(liveprofilerHandler(SECRET, () => freshFoldedBody(), null));
    const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = pulled=${sampler.hostPort}\ninterval = 1\n`, {
      dbpath: path.join(smallFs.path, 'db'),
    });
    const push = (body: string) => getJson(`${server.url}/ingest?host=pusher`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });
    try {
      let acknowledged = 0;
      let refused: { status: number; body: { error: string } } | null = null;
      for (let attempt = 0; refused === null; attempt++) {
        assert.ok(attempt < 200, 'the disk never filled up');
        const answer = await push(freshFoldedBody());
        if (answer.status === 200) acknowledged += answer.body.samples;
        else refused = answer;
      }
      assert.equal(refused.status, 507, JSON.stringify(refused.body));
      assert.match(refused.body.error, /^store write failed: no space left for the store \((ENOSPC|EIO): /);
      // LMDB reuses pages freed by earlier commits without growing its file, so a later push may
      // still fit: what counts is that each answer is 507 or a 200 whose samples are stored.
      // Failed commits free nothing, so refusals soon come in a row.
      for (let attempt = 0, inARow = 0; inARow < 3; attempt++) {
        assert.ok(attempt < 50, 'pushes kept fitting on a full disk');
        const answer = await push(freshFoldedBody());
        assert.ok(answer.status === 200 || answer.status === 507, JSON.stringify(answer.body));
        if (answer.status === 200) acknowledged += answer.body.samples;
        inARow = answer.status === 507 ? inARow + 1 : 0;
      }

      // Collections run every second, and /collector/ answers the last one for a second after it ended:
      // the ones that began before the disk filled up may still be the last.
      let pulledError: string | null = null;
      for (let attempt = 0; attempt < 10 && !/^store write failed: no space left/.test(pulledError ?? ''); attempt++) {
        if (attempt > 0) await sleep(MANUAL_COOLDOWN_MS);
        const collection = await getJson(`${server.url}/collector/`);
        assert.equal(collection.status, 200);
        pulledError = collection.body.hosts[0].error;
      }
      assert.match(pulledError ?? '', /^store write failed: no space left/);
      const profile = await getJson(`${server.url}/profile/pusher/`);
      assert.equal(profile.status, 200);
      assert.equal(profile.body.value, acknowledged, 'every acknowledged push, and nothing of a refused one');

      rmSync(filler);
      const resumed = await push(freshFoldedBody());
      assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
      assert.equal((await getJson(`${server.url}/profile/pusher/`)).body.value, acknowledged + resumed.body.samples);

      assert.equal(server.child.exitCode, null, 'the process is alive');
      assert.equal(server.logs.filter((line) => line.msg === 'store writes failing').length, 1, 'logged once for the kind of failure');
      assert.deepEqual(server.logs.filter((line) => line.msg === 'collection failed' || line.msg === 'could not record the failure'), []);
      assert.equal(await server.stop(), 0);
    } finally {
      await server.stop();
      await sampler.close();
      smallFs.unmount();
    }
  });
});
