import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseFoldedStacks } from '../../src/collector/formats/folded.js';
import { flameTreeToStackCounts } from '../../src/profile/flame-tree-to-stack-counts.js';
import { pruneStackTrie } from '../../src/profile/prune-flame-tree.js';
import { buildStackTrie } from '../../src/profile/stack-trie.js';
import { stackCountsToFolded } from '../../src/profile/stack-counts-to-folded.js';
import { DEFAULT_PERIOD_SECONDS, stackCountsToPprof } from '../../src/profile/stack-counts-to-pprof.js';
import { stackCountsToSpeedscope } from '../../src/profile/stack-counts-to-speedscope.js';
import { stackCountsUnderPath } from '../../src/profile/stack-counts-under-path.js';
import { totalSamples } from '../../src/profile/stack-counts.js';
import { foldedDump } from '../collector/formats/folded-dump.js';
import { readPprof, readSpeedscope, speedscopeSchema } from '../support/export-readers.js';
import { validateJson } from '../support/json-schema-subset.js';
import { randomStacks } from '../support/seeded-random.js';
import { tempFolder } from '../support/temp-folder.js';

const GO = '/usr/bin/go';
const run = promisify(execFile);

/** Frames as real samplers write them: angle brackets, spaces, quotes, non-ASCII. */
const PYTHONISH = new Map([
  ['<module>(__main__);serve(app);handle (app.views)', 120],
  ['<module>(__main__);serve(app);"quoted" é(app.db)', 30],
  ['<module>(__main__);idle(app)', 7],
]);

test('folded: sorted lines the collector parses back to the same stacks', () => {
  const text = stackCountsToFolded(PYTHONISH);
  assert.equal(text.split('\n')[0], '<module>(__main__);idle(app) 7');
  assert.ok(text.endsWith('\n'));
  assert.equal(foldedDump(parseFoldedStacks(text).stacks), foldedDump(PYTHONISH));
  const random = randomStacks(51, { names: 8, stacks: 500, maxDepth: 20, maxCount: 1000 });
  assert.equal(foldedDump(parseFoldedStacks(stackCountsToFolded(random)).stacks), foldedDump(random));
  assert.equal(stackCountsToFolded(new Map()), '');
});

test('speedscope: valid against the schema the speedscope package ships, and reads back exactly', () => {
  const file = stackCountsToSpeedscope(PYTHONISH, 'web1 test');
  assert.equal(file.$schema, 'https://www.speedscope.app/file-format-schema.json');
  assert.equal(file.profiles.length, 1);
  assert.equal(file.profiles[0].type, 'sampled');
  assert.equal(file.profiles[0].endValue, 157);
  // Frames are shared: <module>(__main__) is listed once.
  assert.equal(file.shared.frames.filter((frame) => frame.name === '<module>(__main__)').length, 1);
  assert.equal(foldedDump(readSpeedscope(JSON.parse(JSON.stringify(file)))), foldedDump(PYTHONISH));
  const random = randomStacks(52, { names: 8, stacks: 300, maxDepth: 20, maxCount: 1000 });
  assert.equal(foldedDump(readSpeedscope(stackCountsToSpeedscope(random, 'r'))), foldedDump(random));
});

test('the schema validator refuses what the schema refuses (so the check above can fail)', () => {
  const schema = speedscopeSchema();
  const good = JSON.parse(JSON.stringify(stackCountsToSpeedscope(PYTHONISH, 'x')));
  assert.deepEqual(validateJson(good, schema), []);
  const badSchema = { ...good, $schema: 'https://example.com/other.json' };
  const badUnit = { ...good, profiles: [{ ...good.profiles[0], unit: 'samples' }] };
  const badFrame = { ...good, shared: { frames: [{ label: 'no name' }] } };
  const badSample = { ...good, profiles: [{ ...good.profiles[0], samples: [['0']] }] };
  for (const bad of [badSchema, badUnit, badFrame, badSample]) assert.notDeepEqual(validateJson(bad, schema), []);
});

test('pprof: gzipped protobuf that pprof-format decodes to the same stacks, samples/count, period', () => {
  const bytes = stackCountsToPprof(PYTHONISH, { from: 1714564800, durationSeconds: 3600, periodSeconds: 0.005 });
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
  const decoded = readPprof(bytes);
  assert.equal(foldedDump(decoded.stacks), foldedDump(PYTHONISH));
  assert.deepEqual(decoded.sampleType, ['samples', 'count']);
  assert.deepEqual(decoded.periodType, ['cpu', 'nanoseconds']);
  assert.equal(decoded.period, 5_000_000);
  const random = randomStacks(53, { names: 8, stacks: 300, maxDepth: 20, maxCount: 1000 });
  const defaults = readPprof(stackCountsToPprof(random, { from: 0, durationSeconds: 60 }));
  assert.equal(foldedDump(defaults.stacks), foldedDump(random));
  assert.equal(defaults.period, DEFAULT_PERIOD_SECONDS * 1e9);
});

test('pprof: go tool pprof -top lists the expected functions with their flat samples', async (t) => {
  if (!existsSync(GO)) {
    t.skip(`${GO} is not installed (Debian: apt-get install golang-go), so go tool pprof cannot be run`);
    return;
  }
  const folder = tempFolder('pprof');
  const file = join(folder, 'web1.pb.gz');
  await writeFile(file, stackCountsToPprof(PYTHONISH, { from: 1714564800, durationSeconds: 3600 }));
  const { stdout } = await run(GO, ['tool', 'pprof', '-top', '-sample_index=samples', file], {
    env: { ...process.env, HOME: folder, GOCACHE: join(folder, 'cache'), PPROF_TMPDIR: folder },
    timeout: 60_000,
  });
  assert.match(stdout, /Type: samples/);
  const flat = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+\S+%\s+\S+%\s+\d+\s+\S+%\s+(.+)$/.exec(line);
    if (match) flat.set(match[2].trim(), Number(match[1]));
  }
  assert.equal(flat.get('handle (app.views)'), 120, stdout);
  assert.equal(flat.get('"quoted" é(app.db)'), 30, stdout);
  assert.equal(flat.get('idle(app)'), 7, stdout);
});

test('a pruned tree exported as stacks keeps every total, (other) frames included', () => {
  const stacks = randomStacks(54, { names: 6, stacks: 400, maxDepth: 10, maxCount: 100 });
  const { tree } = pruneStackTrie(buildStackTrie(stacks), { threshold: 0, maxNodes: 30 });
  const exported = flameTreeToStackCounts(tree);
  assert.equal(totalSamples(exported), totalSamples(stacks));
  assert.ok([...exported.keys()].some((stack) => stack.endsWith('(other)')));
  // Unpruned, the tree gives back exactly the stacks it was built from.
  const { tree: full } = pruneStackTrie(buildStackTrie(stacks), { threshold: 0, maxNodes: 1_000_000 });
  assert.equal(foldedDump(flameTreeToStackCounts(full)), foldedDump(stacks));
  assert.deepEqual(flameTreeToStackCounts({ name: 'f', value: 3, children: [{ name: 'g', value: 2 }] }, { includeRoot: true }), new Map([['f', 1], ['f;g', 2]]));
});

test('stacks under a path: whole frames from the root, the node itself included', () => {
  const stacks = new Map([['a;b', 1], ['a;b;c', 2], ['a;bc', 4], ['x;a;b', 8], ['a', 16]]);
  assert.deepEqual(stackCountsUnderPath(stacks, ['a', 'b']), new Map([['a;b', 1], ['a;b;c', 2]]));
  assert.equal(stackCountsUnderPath(stacks, []), stacks);
});
