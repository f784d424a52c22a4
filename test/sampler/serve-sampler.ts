import express from 'express';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { liveprofilerSampler, type Sampler, type SamplerOptions } from '../../src/sampler/index.js';

export interface ServedSampler {
  sampler: Sampler;
  /** http://127.0.0.1:PORT */
  origin: string;
}

/**
 * An express app on a loopback port with the sampler mounted in front of one
 * route of its own (`/hello`, any method); stopped after the test file.
 */
export async function serveSampler(options: SamplerOptions): Promise<ServedSampler> {
  const sampler = liveprofilerSampler(options);
  const app = express();
  app.use(sampler);
  app.all('/hello', (req, res) => {
    res.json({ route: 'hello', method: req.method });
  });
  app.post('/liveprofiler', (_req, res) => {
    res.status(201).json({ route: 'app post' });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  after(async () => {
    await sampler.stop();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { sampler, origin: `http://127.0.0.1:${port}` };
}

export interface ProtocolPayload {
  elapsed: number;
  granularity: number;
  stacks: { frame: string; count: number }[];
}

/** Reads the samples with the secret and asserts the success shape of the protocol. */
export async function readSamples(origin: string, secret: string): Promise<ProtocolPayload> {
  const response = await fetch(`${origin}/liveprofiler`, { headers: { 'Profiler-Token': secret } });
  if (response.status !== 200) throw new Error(`expected 200 from the sampler, got ${response.status}`);
  return (await response.json()) as ProtocolPayload;
}

/** Samples whose stack contains a frame starting with `functionName (`. */
export function samplesIn(payload: ProtocolPayload, functionName: string): number {
  let samples = 0;
  for (const { frame, count } of payload.stacks) {
    if (frame.split(';').some((f) => f.startsWith(`${functionName} (`))) samples += count;
  }
  return samples;
}
