import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { setSecurityHeaders } from './security-headers.js';

export interface GracefulShutdown {
  /**
   * Stops accepting connections, lets the requests in flight finish for up
   * to `graceMs` (then drops them) and resolves with how many were dropped.
   * Meanwhile a new request on a kept-alive connection is answered 503.
   */
  close(graceMs: number): Promise<number>;
}

/**
 * Serves `app` on `server` so that shutting down never drops an answer
 * whose work was done: a push whose samples were stored gets its 200, and a
 * client that retries on a reset does not store them twice.
 */
export function serveWithGracefulShutdown(server: Server, app: RequestListener): GracefulShutdown {
  let closing = false;
  const inFlight = new Set<ServerResponse>();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      refuseWhileClosing(res);
      return;
    }
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // Its connection may now be idle: close it rather than wait for the keep-alive timeout.
      if (closing) server.closeIdleConnections();
    });
    app(req, res);
  });

  return {
    async close(graceMs) {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolve) => (timer = setTimeout(resolve, graceMs, 'grace over')));
      const outcome = await Promise.race([closed, graceOver]);
      clearTimeout(timer);
      if (outcome !== 'grace over') return 0;
      const dropped = inFlight.size;
      server.closeAllConnections();
      await closed;
      return dropped;
    },
  };
}

function refuseWhileClosing(res: ServerResponse): void {
  setSecurityHeaders(res);
  res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close', 'Retry-After': '5' });
  res.end(JSON.stringify({ error: 'shutting down' }));
}
