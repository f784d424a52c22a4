/**
 * The store against the layout it replaced (issue 12: "24 h query against
 * the 2016 storage scheme, keep ≥ 30× faster"): one LMDB record per
 * (host, collection second, stack), as the design notes measured at about
 * 0.8 s for a day. The same day of W2's host is written both ways, then the
 * same answer (the sum per stack string over the last 24 h) is read from
 * each, in the same process; ours also as the whole /profile answer (tree,
 * pruning and JSON included), which the old layout never gets to.
 */
import { open } from 'lmdb';
import { flameSelectionCompactJson } from '../src/profile/flame-selection-compact-json.js';
import { flameSelectionJson } from '../src/profile/flame-selection-json.js';
import { DEFAULT_MAX_NODES, selectFlameNodes } from '../src/profile/prune-flame-tree.js';
import type { StackCounts } from '../src/profile/stack-counts.js';
import { StackShapes } from '../src/profile/stack-trie.js';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { readStackTries } from '../src/visualizer/read-stack-tries.js';
import { interleavedMedians } from './measure.js';
import { report } from './report.js';
import { backfill, DAY, tempFolder } from './workload-server.js';
import { hostWorkload } from './workload.js';

type RecordKey = [host: string, second: number, stackId: number];

export async function againstRecordPerStack(runs: number): Promise<void> {
  console.error('Record per stack: one host, one day of a collection a minute, both layouts');
  const end = Math.floor(Date.now() / 1000);
  const times = Array.from({ length: DAY / 60 }, (_, i) => end - DAY + (i + 1) * 60);
  const store = openStackStore({ path: tempFolder('records-ours'), retentionSeconds: 2 * DAY, maintenanceIntervalMs: 0 });
  await backfill(store, [hostWorkload('w2', 42)], times);

  // The old layout, from the same collections (the workload is deterministic): a dictionary, then a record per stack.
  const env = open({ path: tempFolder('records-old'), compression: false, noMetaSync: true });
  const records = env.openDB<number, RecordKey>({ name: 'records' });
  const names = env.openDB<string, number>({ name: 'stacks', keyEncoding: 'uint32', encoding: 'string' });
  const ids = new Map<string, number>();
  const host = hostWorkload('w2', 42);
  let entries = 0;
  for (const time of times) {
    const collection = host.nextCollection();
    await env.transaction(() => {
      for (const [stack, count] of collection) {
        let id = ids.get(stack);
        if (id === undefined) {
          id = ids.size;
          ids.set(stack, id);
          names.put(id, stack);
        }
        records.put(['w2', time, id], count);
        entries++;
      }
    });
  }
  console.error(`  old layout: ${entries.toLocaleString('en-US')} records`);

  const readOld = (): StackCounts => {
    const sums = new Map<number, number>();
    for (const { key, value } of records.getRange({ start: ['w2', end - DAY], end: ['w2', end + 1] })) sums.set(key[2], (sums.get(key[2]) ?? 0) + value);
    const counts: StackCounts = new Map();
    for (const [id, count] of sums) counts.set(names.get(id)!, count);
    return counts;
  };
  const readOurs = (): StackCounts => store.read(['w2'], end - DAY, end);
  const same = [...readOld()].sort().join('\n') === [...readOurs()].sort().join('\n');
  if (!same) throw new Error('the two layouts disagree on the day\'s sums');

  const shapes = new StackShapes();
  const timed = (run: () => unknown) => async (): Promise<[number]> => {
    const started = performance.now();
    run();
    return [performance.now() - started];
  };
  // The answer as /profile builds it (query-views.ts): from stack ids, over shapes kept between asks as the query worker keeps them.
  const readTrie = () => readStackTries({ store, shapes }, [{ hosts: ['w2'], from: end - DAY, until: end }])[0];
  const answer = (write: typeof flameSelectionJson) => () => write(selectFlameNodes(readTrie(), { threshold: 0, maxNodes: DEFAULT_MAX_NODES }), { meta: {} });
  // In turn, so the machine's load falls on all four alike.
  const [[oldMs], [oursMs], [treeMs], [compactMs]] = await interleavedMedians(runs, [readOld, readOurs, answer(flameSelectionJson), answer(flameSelectionCompactJson)].map(timed));
  report('24 h sums per stack, one record per (host, second, stack)', oldMs, 'ms', null);
  report('24 h sums per stack, this store', oursMs, 'ms', null);
  report('24 h: old layout\'s sums / this store\'s whole answer (tree, pruning, JSON)', oldMs / treeMs, '×', 30, 'higher');
  report('24 h: the same, the answer in the compact form (format=compact)', oldMs / compactMs, '×', 30, 'higher');
  await store.close();
  await env.close();
}
