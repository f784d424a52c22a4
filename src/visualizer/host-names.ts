import { ALL_HOSTS } from '../host-name.js';
import { HttpError } from '../http-error.js';
import type { StackStore, UnixSeconds } from '../store/stack-store.js';

export { ALL_HOSTS } from '../host-name.js';

export interface HostListing {
  name: string;
  configured: boolean;
  lastSuccess: UnixSeconds | null;
  lastError: { time: UnixSeconds; reason: string } | null;
  samplesLastHour: number;
}

/** Configured hosts in config order, then hosts found only in the store, sorted. */
export function knownHosts(configured: readonly string[], store: StackStore): string[] {
  const names = new Set(configured);
  for (const name of store.hosts()) names.add(name);
  return [...names];
}

export function isKnownHost(name: string, configured: readonly string[], store: StackStore): boolean {
  return name === ALL_HOSTS || configured.includes(name) || store.hosts().includes(name);
}

/** The hosts whose samples a request for `name` reads; 404 for a host nobody knows. */
export function hostsToRead(name: string, configured: readonly string[], store: StackStore): string[] {
  if (name === ALL_HOSTS) return knownHosts(configured, store);
  if (!isKnownHost(name, configured, store)) throw new HttpError(404, `unknown host: ${name}`);
  return [name];
}

export function listHosts(configured: readonly string[], store: StackStore, nowSeconds: UnixSeconds): HostListing[] {
  return knownHosts(configured, store).map((name) => {
    const { lastSuccess, lastError } = store.status(name);
    // The last hour is the 3600 seconds ending with the current one.
    const [samplesLastHour] = store.totals([name], nowSeconds - 3599, 3600, 1);
    return { name, configured: configured.includes(name), lastSuccess, lastError, samplesLastHour };
  });
}
