import type { Readable } from 'node:stream';
import fetch, { type Response } from 'node-fetch';
import { redactUrlsIn } from '../redact-url.js';

export interface FetchLimits {
  secret: string;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Aborts the request early, e.g. when the server shuts down. */
  signal?: AbortSignal;
  /**
   * Called before each received chunk is kept: waits for room in a budget
   * shared across hosts (bounded by `signal`, the exchange's own), or refuses
   * by throwing a HostFetchError.
   */
  reserveBytes?: (bytes: number, signal: AbortSignal) => Promise<void>;
}

/** What went wrong, as a fixed set of words for metrics: the message is for people. */
export type HostFetchFailure = 'timeout' | 'http_status' | 'too_large' | 'request' | 'no_buffer_space';

/** Why a host's answer could not be read; the message is what the index page shows. */
export class HostFetchError extends Error {
  constructor(message: string, readonly kind: HostFetchFailure = 'request') {
    super(message);
    this.name = 'HostFetchError';
  }
}

const MAX_REDIRECTS = 3;

/**
 * GETs a sampler's body as bytes: the format, and whether it is text at all,
 * is the parser's to tell. The secret goes in one `Profiler-Token`
 * header, the spelling every WSGI server maps to HTTP_PROFILER_TOKEN. The
 * timeout covers the whole exchange, body included, and the size cap is
 * enforced while streaming, so a slow or huge host costs at most
 * `timeoutMs` and `maxBodyBytes`. Redirects are followed only within the
 * same origin: the secret never leaves for another host. Messages never
 * quote the URL's user-info or query values (they may hold credentials).
 */
export async function fetchHostBody(url: string, limits: FetchLimits): Promise<Buffer> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout;
  try {
    const response = await followSameOriginRedirects(url, limits.secret, signal);
    if (response.status === 403) throw new HostFetchError('refused the secret (HTTP 403)', 'http_status');
    if (response.status !== 200) throw new HostFetchError(`answered HTTP ${response.status}`, 'http_status');
    return await readCappedBody(response, limits, signal);
  } catch (error) {
    if (error instanceof HostFetchError) throw error;
    if (timeout.aborted) throw new HostFetchError(`timed out after ${limits.timeoutMs / 1000} s`, 'timeout');
    if (limits.signal?.aborted) throw new HostFetchError('abandoned: the server is shutting down');
    throw new HostFetchError(`request failed: ${describeNetworkError(error)}`);
  }
}

async function followSameOriginRedirects(url: string, secret: string, signal: AbortSignal): Promise<Response> {
  let current = new URL(url);
  const headers: Record<string, string> = { 'Profiler-Token': secret };
  // node-fetch refuses URLs with user-info: it becomes HTTP Basic credentials, as a browser would send them.
  if (current.username !== '' || current.password !== '') {
    const credentials = `${decodeURIComponent(current.username)}:${decodeURIComponent(current.password)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    current.username = '';
    current.password = '';
  }
  for (let redirects = 0; ; redirects += 1) {
    const response = await fetch(current, { headers, redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    response.body?.resume();
    const next = new URL(location, current);
    if (next.origin !== current.origin) throw new HostFetchError(`redirected to another host (${next.origin}); not followed`);
    if (redirects === MAX_REDIRECTS) throw new HostFetchError(`more than ${MAX_REDIRECTS} redirects`);
    current = next;
  }
}

async function readCappedBody(response: Response, { maxBodyBytes: maxBytes, reserveBytes }: FetchLimits, signal: AbortSignal): Promise<Buffer> {
  // node-fetch's body is a Node stream (its types say only NodeJS.ReadableStream).
  const body = response.body as Readable | null;
  const tooBig = () => {
    body?.destroy();
    return new HostFetchError(`body larger than the ${maxBytes} byte cap`, 'too_large');
  };
  if (Number(response.headers.get('content-length')) > maxBytes) throw tooBig();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body ?? []) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooBig();
    await reserveBytes?.((chunk as Buffer).length, signal);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** node-fetch quotes the URL it requested (`request to URL failed, reason: …`): redacted here. */
function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = redactUrlsIn(error instanceof Error ? error.message : String(error));
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
