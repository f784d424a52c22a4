import type { Readable } from 'node:stream';
import fetch, { type Response } from 'node-fetch';

export interface FetchLimits {
  secret: string;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Aborts the request early, e.g. when the server shuts down. */
  signal?: AbortSignal;
}

/** Why a host's answer could not be read; the message is what the index page shows. */
export class HostFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostFetchError';
  }
}

const MAX_REDIRECTS = 3;

/**
 * GETs a sampler's body as bytes (pprof is binary; text is decoded by the parser). The secret goes in one `Profiler-Token`
 * header, the spelling every WSGI server maps to HTTP_PROFILER_TOKEN. The
 * timeout covers the whole exchange, body included, and the size cap is
 * enforced while streaming, so a slow or huge host costs at most
 * `timeoutMs` and `maxBodyBytes`. Redirects are followed only within the
 * same origin: the secret never leaves for another host.
 */
export async function fetchHostBody(url: string, limits: FetchLimits): Promise<Buffer> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout;
  try {
    const response = await followSameOriginRedirects(url, limits.secret, signal);
    if (response.status === 403) throw new HostFetchError('refused the secret (HTTP 403)');
    if (response.status !== 200) throw new HostFetchError(`answered HTTP ${response.status}`);
    return await readCappedBody(response, limits.maxBodyBytes);
  } catch (error) {
    if (error instanceof HostFetchError) throw error;
    if (timeout.aborted) throw new HostFetchError(`timed out after ${limits.timeoutMs / 1000} s`);
    if (limits.signal?.aborted) throw new HostFetchError('abandoned: the server is shutting down');
    throw new HostFetchError(`request failed: ${describeNetworkError(error)}`);
  }
}

async function followSameOriginRedirects(url: string, secret: string, signal: AbortSignal): Promise<Response> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects += 1) {
    const response = await fetch(current, { headers: { 'Profiler-Token': secret }, redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    response.body?.resume();
    const next = new URL(location, current);
    if (next.origin !== current.origin) throw new HostFetchError(`redirected to another host (${next.origin}); not followed`);
    if (redirects === MAX_REDIRECTS) throw new HostFetchError(`more than ${MAX_REDIRECTS} redirects`);
    current = next;
  }
}

async function readCappedBody(response: Response, maxBytes: number): Promise<Buffer> {
  // node-fetch's body is a Node stream (its types say only NodeJS.ReadableStream).
  const body = response.body as Readable | null;
  const tooBig = () => {
    body?.destroy();
    return new HostFetchError(`body larger than the ${maxBytes} byte cap`);
  };
  if (Number(response.headers.get('content-length')) > maxBytes) throw tooBig();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body ?? []) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooBig();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
