import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSampler {
  /** `127.0.0.1:PORT`, the form a config's hosts list takes. */
  hostPort: string;
  origin: string;
  /** Every request seen, in order. */
  requests: IncomingMessage[];
  /** Requests being answered right now, and the most ever at once. */
  active: number;
  maxActive: number;
  close(): Promise<void>;
}

export type SamplerHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A real HTTP server on loopback answering with `handler`: a sampler, well-behaved or not. */
export async function startFakeSampler(handler: SamplerHandler): Promise<FakeSampler> {
  const sampler = { requests: [] as IncomingMessage[], active: 0, maxActive: 0 } as FakeSampler;
  const server = createServer(async (req, res) => {
    sampler.requests.push(req);
    sampler.active += 1;
    sampler.maxActive = Math.max(sampler.maxActive, sampler.active);
    res.on('close', () => (sampler.active -= 1));
    await handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Listening alone does not keep the test file's process alive: when a test fails before it closes its samplers (a server
  // that did not start), the file ends and reports it instead of hanging. Its connections, timers and servers keep it alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  sampler.hostPort = `127.0.0.1:${port}`;
  sampler.origin = `http://127.0.0.1:${port}`;
  sampler.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sampler;
}

/** Answers like the Python liveprofiler sampler: 403 with an empty body without the secret. */
export function liveprofilerHandler(secret: string, body: () => string, contentType: string | null = 'application/json'): SamplerHandler {
  return (req, res) => {
    if (req.headers['profiler-token'] !== secret) {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, contentType === null ? {} : { 'Content-Type': contentType }).end(body());
  };
}

export function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}
