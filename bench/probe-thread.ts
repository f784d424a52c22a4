/**
 * The body of probeWhile's thread (push-event-loop.ts): back-to-back
 * requests of `route` until told to stop, then their latencies in ms. On a
 * thread of its own, a request's time is the server's wait, not the bench's:
 * the bench's own event loop is busy meanwhile (the readers' answers, the
 * fake samplers, the push's body) and would otherwise delay the probe's
 * timers and reads and count that delay against the server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { rawRequest } from '../test/support/raw-request.js';

export interface ProbeTask {
  origin: string;
  route: string;
}

const { origin, route } = workerData as ProbeTask;
const latencies: number[] = [];
let running = true;
parentPort!.once('message', () => {
  running = false;
});
while (running) {
  const started = performance.now();
  const { status } = await rawRequest(origin, 'GET', route);
  if (status !== 200) throw new Error(`${route}: HTTP ${status}`);
  latencies.push(performance.now() - started);
  await sleep(5);
}
parentPort!.postMessage(latencies);
