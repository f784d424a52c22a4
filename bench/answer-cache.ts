import { interleavedMedians } from './measure.js';
import { report } from './report.js';
import { answerCost, askHttp, askServer } from './workload-server.js';
import type { ServerProcess } from '../test/support/server-process.js';

/** Hits and misses of the kept answers so far, from the server's /metrics. */
async function lookups(server: ServerProcess): Promise<{ hit: number; miss: number }> {
  const text = (await askHttp(server.url, 'GET', '/metrics')).toString();
  const count = (outcome: string): number => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`liveprofiler_answer_cache_lookups_total{outcome="${outcome}"}`));
    if (line === undefined) throw new Error(`/metrics has no answer cache ${outcome} count`);
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { hit: count('hit'), miss: count('miss') };
}

/**
 * `route` on `server` (whose answers are kept, `[store] answer_cache`) asked
 * cold and again, in turn: cold, a question never asked before each time (a
 * parameter the views ignore makes each its own key: a miss, the whole
 * answer built and kept); again, the same question each time, as a page
 * reloaded, a second engineer or a dashboard polling asks it. Wall time and
 * the server's CPU time of each, and of /healthz asked in the same turns
 * (the HTTP exchange alone, the floor of any answer); /metrics says how
 * many of the repeated questions were answered from the cache (a relative
 * range's samples change when a collection enters or leaves it: a miss then).
 */
export async function coldAndRepeated(server: ServerProcess, label: string, route: string, runs: number): Promise<void> {
  let asked = 0;
  const before = await lookups(server);
  const [[coldMs, coldCpuMs], [againMs, againCpuMs], [floorMs, floorCpuMs]] = await interleavedMedians(runs, [
    () => answerCost(server.child.pid!, () => askServer(server, `${route}&cold=${asked++}`)),
    () => answerCost(server.child.pid!, () => askServer(server, route)),
    () => answerCost(server.child.pid!, () => askServer(server, '/healthz')),
  ]);
  const after = await lookups(server);
  const repeatedHits = after.hit - before.hit;
  const coldMisses = asked;
  report(`${label}, cold (a cache miss each time)`, coldMs, 'ms', 5);
  report(`${label}, asked again (the same question)`, againMs, 'ms', 5);
  report(`${label}, cold: server CPU per answer`, coldCpuMs, 'ms', null);
  report(`${label}, asked again: server CPU per answer`, againCpuMs, 'ms', null);
  report(`${label}, asked again: answered from the cache`, (100 * repeatedHits) / asked, '%', null);
  // What any answer costs here, the HTTP exchange and Express around it: the floor of an answer asked again.
  report(`${label}: /healthz asked in the same turns`, floorMs, 'ms', null);
  report(`${label}: /healthz asked in the same turns, server CPU`, floorCpuMs, 'ms', null);
  if (after.miss - before.miss - coldMisses + repeatedHits !== asked) throw new Error('the answer cache counted other lookups than the benchmark\'s');
}
