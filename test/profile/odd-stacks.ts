import type { StackCounts } from '../../src/profile/stack-counts.js';
import { prng, randomStacks } from '../support/seeded-random.js';

/** Names JSON escapes or UTF-8 widens, beside plain ones. */
const ODD_NAMES = ['a"b', 'c\\d', 'tab\there', 'ctl\u0001', '</script>', 'é', '\u{1f600}', 'lone\ud800', '\u2028', 'x'.repeat(300)];

/** randomStacks, with some frames renamed to odd names. */
export function oddStacks(seed: number): StackCounts {
  const random = prng(seed + 1);
  const stacks: StackCounts = new Map();
  for (const [stack, count] of randomStacks(seed, { names: 6, stacks: 80, maxDepth: 7, maxCount: 1000 })) {
    const frames = stack.split(';').map((frame) => (random() < 0.1 ? ODD_NAMES[Math.floor(random() * ODD_NAMES.length)] : frame));
    const joined = frames.join(';');
    stacks.set(joined, (stacks.get(joined) ?? 0) + count);
  }
  return stacks;
}
