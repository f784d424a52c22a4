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

/** GET (or `method`) `url` and parse its JSON body; rejects with a RequestError (or an AbortError). */
export async function fetchJson(url, { signal, method = 'GET', headers = {} } = {}) {
  let response;
  let body;
  try {
    response = await fetch(url, { signal, method, headers: { ...headers, accept: 'application/json' } });
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
