import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readThresholdPercent, thresholdPercent } from '../../../public/assets/threshold.js';

test('a percentage becomes the fraction the API takes; empty or 0 is no threshold', () => {
  const cases: Array<[string, string]> = [['1', '0.01'], ['0.5', '0.005'], ['.5', '0.005'], ['100', '1'], [' 2.5 % ', '0.025'], ['1%', '0.01'], ['', ''], ['  ', ''], ['0', ''], ['0.0', '']];
  for (const [typed, fraction] of cases) assert.deepEqual(readThresholdPercent(typed), { fraction }, typed);
});

test('anything else is refused in the user\'s terms, quoting what they typed', () => {
  for (const typed of ['150', '-5', '100.01', 'half', '1e2', '0x10', '5 5']) {
    assert.deepEqual(readThresholdPercent(typed), { error: `threshold: '${typed}' is not a percentage between 0 and 100` }, typed);
  }
  assert.deepEqual(readThresholdPercent(` ${'9'.repeat(60)} `), { error: `threshold: '${'9'.repeat(40)}' is not a percentage between 0 and 100` });
});

test('the URL\'s fraction shows as the percentage it was typed as', () => {
  const cases: Array<[string, string]> = [['0.01', '1'], ['0.005', '0.5'], ['1', '100'], ['0.025', '2.5'], ['', ''], ['half', '']];
  for (const [fraction, percent] of cases) assert.equal(thresholdPercent(fraction), percent, fraction);
  for (const typed of ['1', '0.5', '2.5', '33.3333']) {
    const { fraction } = readThresholdPercent(typed);
    assert.equal(thresholdPercent(fraction ?? ''), typed, `${typed} round-trips`);
  }
});
