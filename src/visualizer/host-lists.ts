import type { StackStore } from '../store/stack-store.js';
import { hostsToRead, knownHosts } from './host-names.js';

/** Selectors whose host lists are remembered at once, the oldest dropped first: a list is at most every host's name. */
const MAX_SELECTORS = 256;

export interface HostListsOptions {
  /**
   * Whether this process makes every write to the store (the collecting
   * server): then the store's hostsRevision() says when its host set
   * changed. Otherwise (a read-only server) the host set is read each time
   * and compared with the one the lists were worked out from.
   */
  ownWrites: boolean;
}

/**
 * hostsToRead for the main thread, remembered per selector while the set of
 * hosts stays the same. Every query request works out its host list before
 * its answer is looked for: over a fleet of a thousand labelled series,
 * reading the host set and matching each name is milliseconds of the event
 * loop, yet the set changes only when a host first reports or is forgotten.
 * Refusals (400, 404) are worked out afresh each time.
 */
export class HostLists {
  private readonly lists = new Map<string, readonly string[]>();
  private known: readonly string[] | null = null;
  /** What the remembered lists were worked out from: the store's hostsRevision(), or the host set itself. */
  private hostSet: number | readonly string[] = Number.NaN;

  constructor(
    private readonly configured: readonly string[],
    private readonly store: StackStore,
    private readonly options: HostListsOptions,
  ) {}

  /** The series a request for `selectorText` reads (see hostsToRead); throws its HttpError. Shared between calls: not to be changed. */
  of(selectorText: string): readonly string[] {
    this.forgetIfChanged();
    let hosts = this.lists.get(selectorText);
    if (hosts === undefined) {
      hosts = hostsToRead(selectorText, this.configured, this.store);
      if (this.lists.size >= MAX_SELECTORS) this.lists.delete(this.lists.keys().next().value!);
      this.lists.set(selectorText, hosts);
    }
    return hosts;
  }

  /**
   * knownHosts, remembered as the lists are: GET /hosts lists them for
   * every page polling the index, and reading the host set was 15 % of its
   * main-thread time (profiled under the readers bench). Shared between calls: not to be changed.
   */
  knownHosts(): readonly string[] {
    this.forgetIfChanged();
    this.known ??= knownHosts(this.configured, this.store);
    return this.known;
  }

  private forgetIfChanged(): void {
    const hostSet = this.options.ownWrites ? this.store.hostsRevision() : this.store.hosts();
    if (sameHostSet(hostSet, this.hostSet)) return;
    this.lists.clear();
    this.known = null;
    this.hostSet = hostSet;
  }
}

function sameHostSet(a: number | readonly string[], b: number | readonly string[]): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
