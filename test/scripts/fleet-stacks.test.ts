import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CollectionSource, dailyLoad, MAX_DEPTH, MIN_DEPTH, REGRESSION_SHARE, serviceModel, type ServiceKind,
} from '../../scripts/fleet-stacks.js';

const KINDS: ServiceKind[] = ['django', 'celery', 'express', 'batch'];
/** `function(module)`, the Python sampler's frames; `name (file:line)` or a bare name, the Node sampler's. */
const PYTHON_FRAME = /^[<>\w]+\([\w.]+\)$/;
const NODE_FRAME = /^[\w.$]+(?: \([\w:./-]+:\d+\))?$/;

test('every service has a vocabulary of deep stacks in its sampler\'s frame format', () => {
  for (const kind of KINDS) {
    const model = serviceModel(kind, kind, 1, 10);
    assert.ok(model.vocabulary.length >= 15, `${kind}: ${model.vocabulary.length} stacks`);
    assert.equal(new Set(model.vocabulary).size, model.vocabulary.length, `${kind}: distinct`);
    const frameFormat = kind === 'express' ? NODE_FRAME : PYTHON_FRAME;
    for (const stack of [...model.vocabulary, ...model.regression]) {
      const frames = stack.split(';');
      assert.ok(frames.length >= MIN_DEPTH && frames.length <= MAX_DEPTH, `${kind}: ${frames.length} frames`);
      for (const frame of frames) assert.match(frame, frameFormat, kind);
    }
  }
  assert.equal(MIN_DEPTH, 20);
  assert.equal(MAX_DEPTH, 40);
});

test('each service orders its stacks its own way, the same way every run', () => {
  assert.deepEqual(serviceModel('a', 'django', 1, 10).vocabulary, serviceModel('a', 'django', 1, 10).vocabulary);
  assert.notDeepEqual(serviceModel('a', 'django', 1, 10).vocabulary, serviceModel('b', 'django', 2, 10).vocabulary);
});

test('a collection holds the samples asked for; the regression only once it has landed, at about its share', () => {
  const model = serviceModel('shop', 'django', 1, 10);
  const regression = new Set(model.regression);
  assert.ok(regression.size > 0 && [...regression].every((stack) => stack.includes('snapshot(shop.serializers)')));
  assert.ok(model.vocabulary.every((stack) => !stack.includes('snapshot(shop.serializers)')), 'no snapshots before');
  const source = new CollectionSource(model, 7);
  const share = (counts: Map<string, number>) => {
    let regressed = 0;
    let total = 0;
    for (const [stack, count] of counts) {
      total += count;
      if (regression.has(stack)) regressed += count;
    }
    return { total, share: regressed / total };
  };
  const before = share(source.collection(20_000, false));
  const after = share(source.collection(20_000, true));
  assert.deepEqual(before, { total: 20_000, share: 0 });
  assert.equal(after.total, 20_000);
  assert.ok(Math.abs(after.share - REGRESSION_SHARE) < 0.02, `share ${after.share}`);
  // Services without a regression draw the same with or without it.
  const worker = share(new CollectionSource(serviceModel('w', 'celery', 4, 10), 7).collection(1000, true));
  assert.deepEqual(worker, { total: 1000, share: 0 });
});

test('load follows the day: quiet at 03:00 UTC, busiest at 15:00', () => {
  const at = (hour: number) => dailyLoad(1_700_006_400 + hour * 3600);
  assert.equal(at(3), 0.25);
  assert.equal(at(15), 1);
  for (let hour = 0; hour < 24; hour += 0.5) assert.ok(at(hour) >= 0.25 && at(hour) <= 1, String(hour));
});
