/**
 * What a cold W2 `/profile` (5 minutes, nothing kept) costs the server as a
 * fresh process warms up: the bench times asks 4 to 10 of each form after
 * the server starts (3 warm-up asks, then BENCH_RUNS = 7), while V8 is still
 * compiling the main thread's HTTP path and the query worker's loops. Asks
 * the tree and compact forms in turn, as the bench does, ROUNDS times, and
 * prints the server's CPU per answer (all threads, and the main thread
 * apart) by window of asks, so the bench's window can be told from a warm
 * server's.
 *
 *   node --import tsx bench/fresh-server.ts   (FRESH_ROUNDS=N, default 300)
 */
import { readFileSync } from 'node:fs';
import { cpuNanoseconds, median } from './measure.js';
import { loadAverage } from './report.js';
import { askServer, workloadServer } from './workload-server.js';
import { hostWorkload } from './workload.js';

const ROUNDS = Number(process.env.FRESH_ROUNDS ?? 300);
/** Windows of asks of one form, from the first (1) on: the bench's own, then later ones. */
const WINDOWS: Array<[first: number, last: number]> = [[4, 10], [11, 50], [51, 150], [151, ROUNDS]];
const ROUTE = '/profile/w2/?from=-5m&until=now';

/** CPU time (ns) of process `pid`'s main thread so far (Linux schedstat of the task whose id is the pid). */
function mainThreadNanoseconds(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

const { server } = await workloadServer('w2', [hostWorkload('w2', 42)], 60, 30);
const pid = server.child.pid!;
try {
  const forms = [ROUTE, `${ROUTE}&format=compact`];
  /** By form, by ask: [all threads, main thread] CPU ms, and the answer's wall time. */
  const costs: Array<Array<[number, number, number]>> = forms.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [form, route] of forms.entries()) {
      const [allBefore, mainBefore, started] = [cpuNanoseconds(pid), mainThreadNanoseconds(pid), performance.now()];
      await askServer(server, route);
      const wall = performance.now() - started;
      costs[form].push([(cpuNanoseconds(pid) - allBefore) / 1e6, (mainThreadNanoseconds(pid) - mainBefore) / 1e6, wall]);
    }
  }
  for (const [form, route] of forms.entries()) {
    console.log(route);
    for (const [first, last] of WINDOWS) {
      const window = costs[form].slice(first - 1, last);
      const all = median(window.map(([cpu]) => cpu));
      const main = median(window.map(([, cpu]) => cpu));
      const wall = median(window.map(([, , ms]) => ms));
      console.log(`  asks ${first}-${last}: ${wall.toFixed(2)} ms an answer; server CPU ${all.toFixed(2)} ms, of it the main thread ${main.toFixed(2)}`);
    }
  }
  console.log(loadAverage());
} finally {
  await server.stop();
}
