import { createServer, type Server } from 'node:http';

/** `[server]` limits that keep slow or many clients from holding the server. */
export interface HttpServerLimits {
  maxConnections: number;
  /** Time a client has to send its request headers (slowloris). */
  headerTimeoutSeconds: number;
  /** Time a client has to send a whole request, body included: a max-size /ingest body must fit. */
  requestTimeoutSeconds: number;
}

/** An idle kept-alive connection is closed after this: browsers reuse theirs within a page load. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * A Node HTTP server with no request listener yet, bounded: header and
 * request timeouts, and connections beyond the limit closed on arrival.
 */
export function createHttpServer(limits: HttpServerLimits): Server {
  const headersTimeout = limits.headerTimeoutSeconds * 1000;
  const server = createServer({
    headersTimeout,
    requestTimeout: limits.requestTimeoutSeconds * 1000,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Node checks the timeouts above on this interval (30 s by default), so it bounds how late a slow client is cut.
    connectionsCheckingInterval: Math.min(1000, headersTimeout / 4),
  });
  server.maxConnections = limits.maxConnections;
  return server;
}
