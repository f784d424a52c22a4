import assert from 'node:assert/strict';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { MAX_KEYED_HOSTS } from '../../src/visualizer/answer-cache.js';
import { MAX_WAITERS_PER_BUILD, SharedBuilds } from '../../src/visualizer/shared-builds.js';
import { textAnswer, type ViewAnswer } from '../../src/visualizer/view-answer.js';
import { rawRequest } from '../support/raw-request.js';
import { DEFAULT_NOW, metricsNamed, startVisualizer, type RunningVisualizer, type VisualizerOptions } from './harness.js';

const NOW = DEFAULT_NOW;
/** More hosts than an AnswerKey names: `_all` over them is shared under the second it was asked in. */
const FLEET = Array.from({ length: MAX_KEYED_HOSTS + 2 }, (_, i) => `web${i}`);
/** A host with many stacks, to make slow builds of. */
const SLOW_HOST = 'big';

interface Counts {
  answered: number;
  refused: number;
  timeout: number;
  abandoned: number;
  joined: number;
  queued: number;
  running: number;
}

async function counts(visualizer: RunningVisualizer): Promise<Counts> {
  const value = await metricsNamed(visualizer, 'liveprofiler_quer');
  const outcome = (name: string) => value('liveprofiler_queries_total', { outcome: name });
  return {
    answered: outcome('answered'),
    refused: outcome('refused'),
    timeout: outcome('timeout'),
    abandoned: outcome('abandoned'),
    joined: value('liveprofiler_query_joins_total'),
    queued: value('liveprofiler_query_jobs', { state: 'queued' }),
    running: value('liveprofiler_query_jobs', { state: 'running' }),
  };
}

type Outcomes = Pick<Counts, 'answered' | 'refused' | 'timeout' | 'abandoned' | 'joined'>;

function since(before: Counts, now: Counts): Outcomes {
  const { answered, refused, timeout, abandoned, joined } = now;
  return {
    answered: answered - before.answered,
    refused: refused - before.refused,
    timeout: timeout - before.timeout,
    abandoned: abandoned - before.abandoned,
    joined: joined - before.joined,
  };
}

/** What the pool was given since `start`: every job submitted (waiting, running or ended), the requests that joined one instead, the jobs dropped as nobody waited. */
interface Flow {
  jobs: number;
  joined: number;
  abandoned: number;
}

/** Polls the server's counts until `ready` holds of what it was given since `start` (the requests sent have arrived); fails after 10 s. */
async function until(visualizer: RunningVisualizer, start: Counts, ready: (flow: Flow) => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const now = await counts(visualizer);
    const { answered, refused, timeout, abandoned } = since(start, now);
    const ended = answered + refused + timeout + abandoned;
    const flow = { jobs: now.queued + now.running + ended, joined: now.joined - start.joined, abandoned };
    if (ready(flow)) return;
    assert.ok(performance.now() < deadline, `waited 10 s for ${what}: ${JSON.stringify(flow)}`);
    await sleep(2);
  }
}

interface Answer {
  status: number;
  encoding: string | undefined;
  body: Buffer;
}

async function ask(visualizer: RunningVisualizer, path: string, gzip = true): Promise<Answer> {
  const answer = await rawRequest(visualizer.url, 'GET', path, { headers: { 'Accept-Encoding': gzip ? 'gzip' : 'identity' } });
  return { status: answer.status, encoding: answer.headers['content-encoding'] as string | undefined, body: answer.body };
}

/** The same samples behind every server: a few stacks of each fleet host, and a slow host's many. */
async function fill(visualizer: RunningVisualizer): Promise<void> {
  const slow: StackCounts = new Map(Array.from({ length: 20_000 }, (_, i) => [`main;m${i % 97};f${i % 1013};g${i}`, 1 + (i % 7)]));
  await visualizer.store.write(SLOW_HOST, NOW - 30, slow);
  await Promise.all(FLEET.map((host, i) => visualizer.store.write(host, NOW - 60, new Map([[`main;serve;handle${i % 3}`, 1 + i], ['main;idle', 2]]))));
}

async function startFilled(options: VisualizerOptions = {}): Promise<RunningVisualizer> {
  const visualizer = await startVisualizer({ configuredHosts: [SLOW_HOST, ...FLEET], ...options });
  await fill(visualizer);
  return visualizer;
}

/** Whole trees of `_all` that take the pool's one worker a few hundred ms each, never kept. */
const SLOW_PATHS = [1, 2, 3].map((i) => `/profile/_all/?from=-1h&max_nodes=${1_000_000 + i}`);

/**
 * Runs `asks` while the pool's one worker builds the slow answers, so what
 * they send waits in the queue behind them: `arrived` says when all of it
 * is in (its jobs counted beside the SLOW_PATHS.length slow ones). Each
 * slow build counts one answered query.
 */
async function behindSlowBuilds<T>(visualizer: RunningVisualizer, start: Counts, asks: () => Promise<T>, arrived: (flow: Flow) => boolean): Promise<T> {
  const slow = Promise.all(SLOW_PATHS.map((path) => ask(visualizer, path)));
  await until(visualizer, start, (flow) => flow.jobs === SLOW_PATHS.length, 'the slow builds');
  const asked = asks();
  await until(visualizer, start, arrived, 'the requests to arrive');
  for (const answer of await slow) assert.equal(answer.status, 200);
  return asked;
}

/** What the pool did since `start`: `built` answered, the rest as named (0 unless given). */
function expected(outcomes: Partial<Outcomes>): Outcomes {
  return { answered: 0, refused: 0, timeout: 0, abandoned: 0, joined: 0, ...outcomes };
}

const SLOW = SLOW_PATHS.length;

describe('identical requests under way share one build', () => {
  let shared: RunningVisualizer;
  let cold: RunningVisualizer;
  let uncached: RunningVisualizer;
  before(async () => {
    [shared, cold, uncached] = await Promise.all([startFilled(), startFilled({ answerCacheBytes: 0 }), startFilled({ answerCacheBytes: 0 })]);
  });
  after(() => Promise.all([shared.close(), cold.close(), uncached.close()]));

  const paths = [
    // Kept answers, under an AnswerKey.
    '/profile/web1/?from=-5m',
    '/functions/web1/?from=-5m&limit=2',
    // Under the second they were asked in: too many hosts to key, or a route never kept.
    '/profile/_all/?from=-1h',
    '/timeline/web1/?from=-5m',
    '/diff/web1/?from=-5m&base_offset=2m',
  ];
  for (const path of paths) {
    for (const gzip of [true, false]) {
      test(`${path}${gzip ? ', gzipped' : ''}: ten asked at once are built once and answered with the same bytes`, async () => {
        // Kept answers on, and off (every request under the second it was asked in).
        for (const visualizer of [shared, uncached]) {
          const start = await counts(visualizer);
          const answers = await behindSlowBuilds(
            visualizer,
            start,
            () => Promise.all(Array.from({ length: 10 }, () => ask(visualizer, path, gzip))),
            (flow) => flow.jobs === SLOW + 1 && flow.joined === 9,
          );
          assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + 1, joined: 9 }));
          const alone = await ask(cold, path, gzip);
          assert.equal(alone.status, 200, alone.body.toString());
          for (const answer of answers) assert.deepEqual(answer, alone, 'the bytes a server answering it alone sends');
        }
      });
    }
  }

  test('requests differing in anything the answer depends on are built apart', async () => {
    const different = [
      '/profile/web1/?from=-5m',
      '/profile/web1/?from=-6m',
      '/profile/web1/?from=-5m&threshold=0.5',
      '/profile/web2/?from=-5m',
      '/functions/web1/?from=-5m',
      '/profile/_all/?from=-1h',
      '/profile/_all/?from=-1h&format=compact',
    ];
    // Nothing kept is asked: a write of each host read makes every answer new.
    await Promise.all([shared, uncached, cold].flatMap((visualizer) => FLEET.map((host) => visualizer.store.write(host, NOW - 40, new Map([['main;new', 1]])))));
    for (const visualizer of [shared, uncached]) {
      const start = await counts(visualizer);
      const answers = await behindSlowBuilds(
        visualizer,
        start,
        // Each gzipped and not.
        () => Promise.all(different.flatMap((path) => [ask(visualizer, path, true), ask(visualizer, path, false)])),
        (flow) => flow.jobs === SLOW + different.length * 2,
      );
      for (const answer of answers) assert.equal(answer.status, 200, answer.body.toString());
      assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + different.length * 2 }));
    }
  });

  test('a request asked a second later joins a kept-answer build and gets its own range in meta', async () => {
    const path = '/profile/web2/?from=-7m';
    const start = await counts(shared);
    const answers = await behindSlowBuilds(
      shared,
      start,
      async () => {
        const first = ask(shared, path, false);
        await until(shared, start, (flow) => flow.jobs === SLOW + 1, 'the first request');
        shared.setNow(NOW + 1);
        try {
          return await Promise.all([first, ask(shared, path, false)]);
        } finally {
          shared.setNow(NOW);
        }
      },
      (flow) => flow.joined === 1,
    );
    assert.deepEqual(since(start, await counts(shared)), expected({ answered: SLOW + 1, joined: 1 }));
    const meta = answers.map((answer) => (JSON.parse(answer.body.toString()) as { meta: { from: number; until: number } }).meta);
    assert.deepEqual(meta.map(({ from, until }) => ({ from, until })), [{ from: NOW - 420, until: NOW }, { from: NOW + 1 - 420, until: NOW + 1 }]);
  });
});

describe('requests that leave, and builds that fail', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startFilled();
  });
  after(() => visualizer.close());

  test('the first request leaving does not stop the build the others wait for', async () => {
    const path = '/profile/web3/?from=-5m';
    const start = await counts(visualizer);
    const first = new AbortController();
    const answers = await behindSlowBuilds(
      visualizer,
      start,
      async () => {
        const leaving = fetch(visualizer.url + path, { signal: first.signal }).catch((error: unknown) => error);
        await until(visualizer, start, (flow) => flow.jobs === SLOW + 1, 'the first request');
        const staying = Promise.all(Array.from({ length: 4 }, () => ask(visualizer, path)));
        await until(visualizer, start, (flow) => flow.joined === 4, 'the others to join');
        first.abort();
        assert.equal(((await leaving) as Error).name, 'AbortError');
        return staying;
      },
      () => true,
    );
    for (const answer of answers) assert.equal(answer.status, 200);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + 1, joined: 4 }));
  });

  test('when every request has left, the build is dropped; the next one builds afresh', async () => {
    const path = '/profile/web4/?from=-5m';
    const start = await counts(visualizer);
    const leaving = new AbortController();
    await behindSlowBuilds(
      visualizer,
      start,
      async () => {
        const asked = Array.from({ length: 3 }, () => fetch(visualizer.url + path, { signal: leaving.signal }).catch((error: unknown) => error));
        await until(visualizer, start, (flow) => flow.joined === 2, 'the requests');
        leaving.abort();
        await Promise.all(asked);
        await until(visualizer, start, (flow) => flow.abandoned === 1, 'the build to be dropped');
      },
      () => true,
    );
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW, abandoned: 1, joined: 2 }));
    assert.equal((await ask(visualizer, path)).status, 200);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + 1, abandoned: 1, joined: 2 }));
  });

  test('a build the worker refuses fails every request with its error, and is not kept', async () => {
    const path = '/profile/web5/?from=-5m&path=main;nowhere';
    const start = await counts(visualizer);
    const answers = await behindSlowBuilds(
      visualizer,
      start,
      () => Promise.all(Array.from({ length: 5 }, () => ask(visualizer, path))),
      (flow) => flow.joined === 4,
    );
    assert.equal(answers[0].status, 404);
    assert.match(answers[0].body.toString(), /nowhere/);
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW, refused: 1, joined: 4 }));
    assert.deepEqual(await ask(visualizer, path), answers[0]);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW, refused: 2, joined: 4 }));
  });
});

test(`at most ${MAX_WAITERS_PER_BUILD} requests wait on one build: the next begins another, which those after it join`, async () => {
  const visualizer = await startFilled();
  try {
    const path = '/profile/web7/?from=-5m';
    const asked = MAX_WAITERS_PER_BUILD + 2;
    const start = await counts(visualizer);
    const answers = await behindSlowBuilds(
      visualizer,
      start,
      () => Promise.all(Array.from({ length: asked }, () => ask(visualizer, path))),
      (flow) => flow.jobs === SLOW + 2 && flow.joined === asked - 2,
    );
    assert.equal(answers[0].status, 200);
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + 2, joined: asked - 2 }));
  } finally {
    await visualizer.close();
  }
});

test('a build that times out fails every request waiting for it with the timeout, and is not kept', async () => {
  const visualizer = await startFilled({ queryTimeoutMs: 100 });
  try {
    // A slow build alone outlasts the timeout: no wait behind another is needed.
    const start = await counts(visualizer);
    const answers = await Promise.all(Array.from({ length: 5 }, () => ask(visualizer, SLOW_PATHS[0])));
    assert.equal(answers[0].status, 503);
    assert.match(answers[0].body.toString(), /not answered within 0.1 s/);
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ timeout: 1, joined: 4 }));
    assert.equal((await ask(visualizer, SLOW_PATHS[0])).status, 503);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ timeout: 2, joined: 4 }));
  } finally {
    await visualizer.close();
  }
});

test('where a build may miss writes of another process, only one still queued is joined', async () => {
  const visualizer = await startFilled({ joinStartedBuilds: false });
  try {
    const path = '/profile/web6/?from=-5m';
    const start = await counts(visualizer);
    // Queued behind the slow builds: its read comes after every request has arrived.
    const queued = await behindSlowBuilds(
      visualizer,
      start,
      () => Promise.all(Array.from({ length: 3 }, () => ask(visualizer, path))),
      (flow) => flow.joined === 2,
    );
    for (const answer of queued) assert.equal(answer.status, 200);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + 1, joined: 2 }));
    // A slow build already reading when its twin arrives: the twin is built again.
    const slow = SLOW_PATHS[0];
    const first = ask(visualizer, slow);
    await until(visualizer, start, (flow) => flow.jobs === SLOW + 2, 'the first to start');
    const answers = await Promise.all([first, ask(visualizer, slow)]);
    for (const answer of answers) assert.equal(answer.status, 200);
    assert.deepEqual(since(start, await counts(visualizer)), expected({ answered: SLOW + 3, joined: 2 }));
  } finally {
    await visualizer.close();
  }
});

test('a build hands its answer to one waiting request a turn of the event loop, so other replies come between them', async () => {
  let joined = 0;
  const builds = new SharedBuilds({ joinStarted: true, metrics: { queryJoined: () => joined++ } });
  let finish!: (answer: ViewAnswer) => void;
  const answer = textAnswer('text/plain', 'the answer');
  const handed: number[] = [];
  const waiting = Array.from({ length: 4 }, (_, i) =>
    builds
      .answer({ key: 'same', range: null }, () => new Promise<ViewAnswer>((resolve) => (finish = resolve)), new AbortController().signal)
      .then((given) => {
        assert.equal(given, answer);
        handed.push(i);
      }),
  );
  assert.equal(joined, 3);
  finish(answer);
  // What had been handed out at each turn of the event loop after the build ended.
  const seen: number[] = [];
  for (let turn = 0; turn < 6; turn++) {
    await nextTurn();
    seen.push(handed.length);
  }
  await Promise.all(waiting);
  assert.deepEqual(handed, [0, 1, 2, 3]);
  assert.ok(seen[0] < 4, `all ${seen[0]} answers handed out in the turn the build ended`);
  for (let turn = 1; turn < seen.length; turn++) assert.ok(seen[turn] - seen[turn - 1] <= 1, `turns saw ${seen.join(', ')} answers handed out`);
});
