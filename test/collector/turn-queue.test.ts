import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { TurnQueue } from '../../src/collector/turn-queue.js';

/** Holds the event loop for `ms`, as parsing and storing a body does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('turns are given in the order asked', async () => {
  const turns = new TurnQueue();
  const order: number[] = [];
  await Promise.all([1, 2, 3].map(async (n) => {
    await turns.next();
    order.push(n);
  }));
  assert.deepEqual(order, [1, 2, 3]);
});

test('a request arriving during a burst of busy turns is served between them, not after them all', async () => {
  const order: string[] = [];
  const server = createServer((_req, res) => {
    order.push('request');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const answered = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then((response) => response.text());
    const turns = new TurnQueue();
    const burst = Array.from({ length: 20 }, async (_, n) => {
      await turns.next();
      order.push(`turn ${n}`);
      busy(20);
    });
    await Promise.all([...burst, answered]);
    assert.ok(order.indexOf('request') < order.indexOf('turn 19'), order.join(', '));
  } finally {
    server.close();
  }
});
