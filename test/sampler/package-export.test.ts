import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

const REPO = new URL('../../', import.meta.url).pathname;

// Runs against the build, as another app would import it; `npm test` builds first.
test('other apps import the middleware as liveprofiler/sampler, with its types', () => {
  const script = `
    import express from 'express';
    import { liveprofilerSampler } from 'liveprofiler/sampler';
    const app = express();
    const sampler = liveprofilerSampler({ secret: 's3cr3t', intervalSeconds: 0.01 });
    app.use(sampler);
    const server = app.listen(0, '127.0.0.1', async () => {
      const url = 'http://127.0.0.1:' + server.address().port + '/liveprofiler';
      const refused = await fetch(url);
      const answer = await (await fetch(url, { headers: { 'Profiler-Token': 's3cr3t' } })).json();
      console.log(refused.status, typeof answer.elapsed, Array.isArray(answer.stacks));
      await sampler.stop();
      server.close();
    });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, '403 number true\n');
  assert.ok(existsSync(new URL('dist/sampler/index.d.ts', `file://${REPO}`)), 'the export ships its types');
});
