// Fetching the JSON API, turning every way a request can fail into one
// readable message: the server's own `{"error": ...}` when it sent one.

import { compactToFlameTree } from './compact-profile.js';

export class RequestError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'RequestError';
    this.status = status;
  }
}

export function isAbort(error) {
  return error instanceof DOMException && error.name === 'AbortError';
}

// Requests started before the page could make them (first-requests.js),
// each handed to the first fetchJson of its URL. Once the page has made a
// request of its own, none is started early any more: whichever module runs
// first, every URL is asked for once.
const earlyResponses = new Map();
let pageHasAsked = false;

/** Starts GET `url` now for a later fetchJson of the same URL; nothing once the page has asked for anything. */
export function fetchEarly(url) {
  if (pageHasAsked || earlyResponses.has(url)) return;
  const response = fetch(url, { headers: { accept: 'application/json' } });
  response.catch(() => {}); // its fetchJson reports a failure; one never taken is not an error
  earlyResponses.set(url, response);
}

/** GET (or `method`) `url` and parse its JSON body; rejects with a RequestError (or an AbortError). */
export async function fetchJson(url, { signal, method = 'GET', headers = {} } = {}) {
  pageHasAsked = true;
  const early = method === 'GET' ? earlyResponses.get(url) : undefined;
  earlyResponses.delete(url);
  let response;
  let body;
  try {
    response = await (early ?? fetch(url, { signal, method, headers: { ...headers, accept: 'application/json' } }));
    signal?.throwIfAborted();
    body = await response.text();
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new RequestError(`cannot reach the server (${error.message})`, 0);
  }
  const parsed = parseJsonOrUndefined(body);
  if (!response.ok) {
    const reason = typeof parsed?.error === 'string' ? parsed.error : response.statusText;
    throw new RequestError(`${response.status}: ${reason}`, response.status);
  }
  if (parsed === undefined) {
    throw new RequestError(`the server answered ${url} with something that is not JSON`, response.status);
  }
  return new URL(url, location.href).searchParams.get('format') === 'compact' ? compactToFlameTree(parsed) : parsed;
}

function parseJsonOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `/<route>/<host>/`, the host encoded as one path segment (labels may contain '/'). */
export function hostUrl(route, host) {
  return `/${route}/${encodeURIComponent(host)}/`;
}
