import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { rawRequest } from '../support/raw-request.js';
import { MAX_KEYED_HOSTS } from '../../src/visualizer/answer-cache.js';
import { DEFAULT_NOW, metricsNamed, startVisualizer, type RunningVisualizer, type VisualizerOptions } from './harness.js';

const NOW = DEFAULT_NOW;
const HOSTS = ['web1', 'web2'];

/** The same store contents and clock behind two servers: one keeping answers, one answering every request afresh. */
interface Twins {
  kept: RunningVisualizer;
  cold: RunningVisualizer;
}

async function startTwins(options: VisualizerOptions = {}): Promise<Twins> {
  const [kept, cold] = await Promise.all([
    startVisualizer({ configuredHosts: HOSTS, ...options }),
    startVisualizer({ configuredHosts: HOSTS, ...options, answerCacheBytes: 0 }),
  ]);
  return { kept, cold };
}

const both = <T>(twins: Twins, run: (visualizer: RunningVisualizer) => Promise<T>): Promise<T[]> => Promise.all([run(twins.kept), run(twins.cold)]);

async function write(twins: Twins, host: string, time: number, stacks: Array<[string, number]>): Promise<void> {
  const counts: StackCounts = new Map(stacks);
  await both(twins, (visualizer) => visualizer.store.write(host, time, counts));
}

function setNow(twins: Twins, seconds: number): void {
  twins.kept.setNow(seconds);
  twins.cold.setNow(seconds);
}

interface Lookups {
  hit: number;
  miss: number;
  bytes: number;
}

async function lookups(visualizer: RunningVisualizer): Promise<Lookups> {
  const value = await metricsNamed(visualizer, 'liveprofiler_answer_cache_');
  return {
    hit: value('liveprofiler_answer_cache_lookups_total', { outcome: 'hit' }),
    miss: value('liveprofiler_answer_cache_lookups_total', { outcome: 'miss' }),
    bytes: value('liveprofiler_answer_cache_bytes'),
  };
}

interface Answer {
  status: number;
  encoding: string | undefined;
  disposition: string | undefined;
  text: string;
}

async function ask(visualizer: RunningVisualizer, path: string, gzip: boolean): Promise<Answer> {
  const answer = await rawRequest(visualizer.url, 'GET', path, { headers: { 'Accept-Encoding': gzip ? 'gzip' : 'identity' } });
  const encoding = answer.headers['content-encoding'] as string | undefined;
  const text = (encoding === 'gzip' ? gunzipSync(answer.body) : answer.body).toString();
  return { status: answer.status, encoding, disposition: answer.headers['content-disposition'] as string | undefined, text };
}

/**
 * Asks both servers `path` and checks the kept answer is the cold one (its
 * text, status, encoding and download name) and that the one keeping answers
 * found it kept (`hit`) or built it (`miss`), as its metrics count.
 */
async function expectAnswer(twins: Twins, path: string, outcome: 'hit' | 'miss', gzip = true): Promise<Answer> {
  const before = await lookups(twins.kept);
  const [kept, cold] = await both(twins, (visualizer) => ask(visualizer, path, gzip));
  const after = await lookups(twins.kept);
  assert.equal(kept.status, 200, `${path}: ${kept.text}`);
  assert.deepEqual(kept, cold, `${path}: the kept answer is the cold one`);
  assert.deepEqual({ hit: after.hit - before.hit, miss: after.miss - before.miss }, { hit: outcome === 'hit' ? 1 : 0, miss: outcome === 'miss' ? 1 : 0 }, `${path}: a ${outcome}`);
  return kept;
}

function rangeOf(answer: Answer): { from: number; until: number } {
  const { from, until } = (JSON.parse(answer.text) as { meta: { from: number; until: number } }).meta;
  return { from, until };
}

describe('kept answers of /profile and /functions', () => {
  let twins: Twins;
  before(async () => {
    twins = await startTwins({ retentionSeconds: 3600 });
    await write(twins, 'web1', NOW - 200, [['main;serve;handle', 5], ['main;idle', 2]]);
    await write(twins, 'web1', NOW - 100, [['main;serve;parse', 3]]);
    await write(twins, 'web2', NOW - 100, [['main;gc', 4]]);
  });
  after(() => Promise.all([twins.kept.close(), twins.cold.close()]));

  test('the same question asked again is answered from the kept answer, for the range it now resolves to', async () => {
    setNow(twins, NOW);
    const path = '/profile/web1/?from=-5m&until=now';
    const first = await expectAnswer(twins, path, 'miss');
    assert.equal(first.encoding, undefined, 'a small answer goes out as it is');
    await expectAnswer(twins, path, 'hit');
    // Ten seconds on, "-5m" names other seconds but the same samples: the same tree, the new range in meta.
    setNow(twins, NOW + 10);
    const later = await expectAnswer(twins, path, 'hit');
    assert.deepEqual(rangeOf(later), { from: NOW + 10 - 300, until: NOW + 10 });
    // Twenty more and the collection at NOW - 200 has left the range.
    setNow(twins, NOW + 101);
    await expectAnswer(twins, path, 'miss');
    await expectAnswer(twins, path, 'hit');
    await expectAnswer(twins, '/functions/web1/?from=-5m', 'miss');
    setNow(twins, NOW + 102);
    await expectAnswer(twins, '/functions/web1/?from=-5m', 'hit');
  });

  test('a large answer is kept gzipped and given again, gzipped, for its new range', async () => {
    setNow(twins, NOW);
    const many: Array<[string, number]> = Array.from({ length: 400 }, (_, i) => [`main;module${i % 13};function${i}`, 1 + (i % 5)]);
    await write(twins, 'web2', NOW - 30, many);
    const path = '/profile/web2/?from=-1m';
    assert.equal((await expectAnswer(twins, path, 'miss')).encoding, 'gzip');
    setNow(twins, NOW + 5);
    const again = await expectAnswer(twins, path, 'hit');
    assert.equal(again.encoding, 'gzip');
    assert.deepEqual(rangeOf(again), { from: NOW + 5 - 60, until: NOW + 5 });
    await expectAnswer(twins, path, 'miss', false);
    await expectAnswer(twins, path, 'hit', false);
  });

  test('a write, a late write inside the range, forgetting and retention each make the next answer fresh; maintenance keeps it', async () => {
    setNow(twins, NOW + 200);
    const path = '/profile/web1/?from=-1h&until=now';
    await expectAnswer(twins, path, 'miss');
    await expectAnswer(twins, path, 'hit');
    await write(twins, 'web1', NOW + 150, [['main;serve;handle', 1]]);
    await expectAnswer(twins, path, 'miss');
    // Late: into a second the range already held, so neither its first nor its last second moves.
    await write(twins, 'web1', NOW - 100, [['main;serve;late', 6]]);
    await expectAnswer(twins, path, 'miss');
    await expectAnswer(twins, path, 'hit');
    // Another host's: web1's answer is the same, asked again or not.
    await write(twins, 'web2', NOW + 150, [['main;gc', 1]]);
    await expectAnswer(twins, path, 'hit');
    // Both hosts' minutes: maintenance builds the fleet's minute buckets, which the cold twin then reads.
    const fleet = `/profile/_all/?from=${NOW - 3600}&until=${NOW + 200}`;
    await expectAnswer(twins, fleet, 'miss');
    // Rollups hold the same sums: the kept answers are still the ones a server keeping none works out.
    await both(twins, (visualizer) => visualizer.store.maintain());
    await expectAnswer(twins, path, 'hit');
    await expectAnswer(twins, fleet, 'hit');
    // Retention (an hour) passes NOW - 200 with nothing written and nothing maintained.
    setNow(twins, NOW + 3401);
    const expired = await expectAnswer(twins, path, 'miss');
    assert.equal(expired.text.includes('"handle"'), true);
    assert.equal(expired.text.includes('"idle"'), false, 'the samples at NOW - 200 are past retention');
    await expectAnswer(twins, path, 'hit');
    await both(twins, (visualizer) => visualizer.store.forget('web1'));
    const forgotten = await expectAnswer(twins, path, 'miss');
    assert.equal((JSON.parse(forgotten.text) as { value: number }).value, 0);
  });

  test('different parameters, selectors and encodings never share an entry', async () => {
    setNow(twins, NOW);
    await write(twins, 'web1', NOW - 60, [['main;serve;handle', 5], ['main;idle', 2]]);
    const paths = [
      '/profile/web1/?from=-5m',
      '/profile/web1/?from=-300s',
      '/profile/web1/?from=-5m&until=now',
      '/profile/web1/?from=-5m&threshold=0.5',
      '/profile/web1/?from=-5m&format=compact',
      '/profile/web1/?from=-5m&focus=serve',
      '/profile/web1/?from=-5m&path=main',
      '/profile/web1/?from=-5m&format=folded',
      '/profile/web1/?from=-5m&tz=Europe/Berlin',
      '/profile/web2/?from=-5m',
      '/profile/_all/?from=-5m',
      '/functions/web1/?from=-5m',
    ];
    for (const path of paths) await expectAnswer(twins, path, 'miss');
    for (const path of paths) await expectAnswer(twins, path, 'miss', false);
    for (const path of paths) await expectAnswer(twins, path, 'hit');
  });

  test('a download names its range in its file name: it is given again only within the same second', async () => {
    setNow(twins, NOW);
    const path = '/profile/web1/?from=-5m&format=folded';
    await ask(twins.kept, path, true);
    await expectAnswer(twins, path, 'hit');
    setNow(twins, NOW + 1);
    const later = await expectAnswer(twins, path, 'miss');
    assert.match(later.disposition ?? '', /20240501T115501Z_20240501T120001Z/);
  });

  test('requests the worker refuses, and /diff and /timeline, are never kept', async () => {
    for (const path of ['/profile/nobody/', '/profile/web1/?from=soon', '/diff/web1/?from=-5m', '/timeline/web1/?from=-5m']) {
      const before = await lookups(twins.kept);
      const [kept, cold] = await both(twins, (visualizer) => ask(visualizer, path, true));
      assert.deepEqual(kept, cold, path);
      assert.deepEqual(await lookups(twins.kept), before, `${path}: not looked up`);
    }
  });
});

test(`a selector over more than ${MAX_KEYED_HOSTS} hosts is never kept; one over fewer is`, async () => {
  const many = Array.from({ length: MAX_KEYED_HOSTS + 1 }, (_, i) => `app{i=${i}}`);
  const visualizer = await startVisualizer({ configuredHosts: many });
  try {
    await Promise.all(many.map((host, i) => visualizer.store.write(host, NOW - 10, new Map([[`main;f${i}`, 1]]))));
    for (const [path, looked] of [['/profile/_all/?from=-5m', 0], [`/profile/${encodeURIComponent('app{i=~"1.*"}')}/?from=-5m`, 2]] as const) {
      const before = await lookups(visualizer);
      for (let i = 0; i < 2; i++) assert.equal((await ask(visualizer, path, true)).status, 200, path);
      const after = await lookups(visualizer);
      assert.equal(after.hit + after.miss - before.hit - before.miss, looked, path);
    }
  } finally {
    await visualizer.close();
  }
});

describe('the bound of the kept answers', () => {
  test('holds their bytes under [store] answer_cache, dropping the least recently used', async () => {
    const bound = 4096;
    const twins = await startTwins({ answerCacheBytes: bound });
    try {
      await write(twins, 'web1', NOW - 10, [['main;serve;handle', 5], ['main;idle', 2]]);
      const ranges = ['-1m', '-2m', '-3m', '-4m', '-5m', '-6m', '-7m', '-8m'];
      for (const range of ranges) {
        await expectAnswer(twins, `/profile/web1/?from=${range}`, 'miss');
        const { bytes } = await lookups(twins.kept);
        assert.ok(bytes > 0 && bytes <= bound, `${bytes} bytes kept, at most ${bound}`);
      }
      // The last asked is kept; the first ones made room for it.
      await expectAnswer(twins, `/profile/web1/?from=${ranges.at(-1)}`, 'hit');
      await expectAnswer(twins, `/profile/web1/?from=${ranges[0]}`, 'miss');
      // An answer larger than the bound is not kept at all.
      const many: Array<[string, number]> = Array.from({ length: 400 }, (_, i) => [`main;module${i % 13};function${i}`, 1]);
      await write(twins, 'web2', NOW - 10, many);
      await expectAnswer(twins, '/profile/web2/?from=-1m', 'miss', false);
      await expectAnswer(twins, '/profile/web2/?from=-1m', 'miss', false);
      assert.ok((await lookups(twins.kept)).bytes <= bound);
    } finally {
      await Promise.all([twins.kept.close(), twins.cold.close()]);
    }
  });

  test('0 keeps nothing and looks nothing up', async () => {
    const visualizer = await startVisualizer({ configuredHosts: HOSTS, answerCacheBytes: 0 });
    try {
      await visualizer.store.write('web1', NOW - 10, new Map([['main', 1]]));
      for (let i = 0; i < 3; i++) assert.equal((await ask(visualizer, '/profile/web1/?from=-5m', true)).status, 200);
      assert.deepEqual(await lookups(visualizer), { hit: 0, miss: 0, bytes: 0 });
    } finally {
      await visualizer.close();
    }
  });
});
