import { setImmediate as nextTurn } from 'node:timers/promises';
import { systemClock, unixSeconds, type Clock } from '../clock.js';
import { createLogger, type Logger } from '../log.js';
import { collectIfHeapGrew } from '../operability/heap-growth.js';
import { MAX_SAMPLE_COUNT, type StackCounts } from '../profile/stack-counts.js';
import { putBucket } from './bucket-writes.js';
import { Committer, type Commit } from './commit.js';
import { collectDictionary, collectionDue, DEFAULT_COLLECTION_THRESHOLD, type CollectionDeps, type CollectionThreshold } from './dictionary-collection.js';
import { IdCounts } from './id-counts.js';
import { packUnsorted } from './packed-counts.js';
import { bucketRange, expiredBefore, firstBucketStart, lastBucketStart, MAX_TIME, openDatabases, type CountsKey, type StoreDatabases } from './layout.js';
import { COARSEST_LEVEL, LEVEL_SECONDS, periodStart } from './levels.js';
import { planRange } from './plan-range.js';
import { valueInPlace } from './values-in-place.js';
import { forEachCoveringBucket, forEachPackedBucket, totalsScan } from './resolve-bucket.js';
import { forgetHost } from './forget-host.js';
import { maintainHosts, rolledUntilOf, WORK_PER_TRANSACTION } from './rollup.js';
import { addToFleet, fleetRolledUntil, forEachFleetBucket, maintainFleet, planFleetRead } from './fleet-rollup.js';
import { StackDictionary, STACKS_PER_TURN } from './stack-dictionary.js';
import { StoreWriteError, type ForgottenHost, type HostStatus, type StackIdCounts, type StackStore, type UnixSeconds } from './stack-store.js';

export interface StackStoreOptions {
  /** Folder of the LMDB environment; created if missing. */
  path: string;
  /** Buckets that start before now - retention are deleted: older samples, and coarser buckets no read can use any more. */
  retentionSeconds: number;
  clock?: Clock;
  /** Default 10_000; 0 = no timer (call maintain() yourself). */
  maintenanceIntervalMs?: number;
  /** Where failed commits and a failed background maintenance are reported. */
  logger?: Logger;
  /** How much the stack dictionary grows before maintenance collects its unused entries. */
  dictionaryCollection?: CollectionThreshold;
  /** Characters of stack strings the string <-> id cache holds; default STACK_CACHE_CHARS. */
  stackCacheChars?: number;
}

/**
 * How often maintenance drops the cached stacks not used since its last
 * drop: a stack written or read at least once in ten minutes stays cached,
 * one seen less often costs a lookup (about 8 µs) when it comes back.
 */
const CACHE_AGING_SECONDS = 600;

/** Meta key rewritten by every health check: a counter, so each check really writes. */
const HEALTH_CHECKS_KEY = 'healthChecks';

export function openStackStore(options: StackStoreOptions): StackStore {
  return new LmdbStackStore(options);
}

/** A collection, validated and with zero counts dropped, ready to be written. */
interface Collection {
  stacks: string[];
  /** A plain array: a typed array of a small collection's size still gets a backing store outside V8's heap, slow to create and to collect. */
  counts: number[];
}

function checkHostAndTime(host: string, time: number): void {
  if (typeof host !== 'string' || host === '') throw new Error('write: host must be a non-empty string');
  if (!Number.isFinite(time) || time < 0 || time >= MAX_TIME) {
    throw new Error(`write: time must be Unix seconds between 0 and ${MAX_TIME}, got ${time}`);
  }
}

/** Checks one stack and its count; throws on a stack or count no write may hold. */
function checkEntry(stack: unknown, count: unknown): asserts stack is string {
  if (typeof stack !== 'string' || stack === '') throw new Error('write: every stack must be a non-empty string');
  if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > MAX_SAMPLE_COUNT) {
    throw new Error(`write: count of stack ${JSON.stringify(stack.slice(0, 200))} must be an integer from 0 to ${MAX_SAMPLE_COUNT}, got ${count}`);
  }
}

/** Adds `stack` and its `count` to `collection` when the count is positive; throws on a stack or count no write may hold. */
function addValid(collection: Collection, stack: unknown, count: unknown): void {
  checkEntry(stack, count);
  if (count === 0) return;
  collection.stacks.push(stack);
  collection.counts.push(count as number);
}

/**
 * Checks every entry of a collection of at most STACKS_PER_TURN stacks in
 * one go and hands `keep` those whose count is positive, in order, until it
 * returns false; returns whether it went through them all. Keys and values
 * are read side by side, as validCollection reads them: no array per entry.
 */
function forEachValidEntry(stacks: StackCounts, keep: (stack: string, count: number) => boolean): boolean {
  const counts = stacks.values();
  for (const stack of stacks.keys()) {
    const count = counts.next().value;
    checkEntry(stack, count);
    if (count !== 0 && !keep(stack, count as number)) return false;
  }
  return true;
}

/**
 * The stacks and counts of a collection of at most STACKS_PER_TURN stacks,
 * checked in one go, into arrays of the body's size (cut short by its zero
 * counts): grown by push, they were the largest garbage of a W4 write.
 */
function validSmallCollection(stacks: StackCounts): Collection {
  const collection: Collection = { stacks: new Array<string>(stacks.size), counts: new Array<number>(stacks.size) };
  let kept = 0;
  forEachValidEntry(stacks, (stack, count) => {
    collection.stacks[kept] = stack;
    collection.counts[kept++] = count;
    return true;
  });
  collection.stacks.length = kept;
  collection.counts.length = kept;
  return collection;
}

/** What packCachedCollection orders and packs, kept between writes: a small collection's ids and counts, at most STACKS_PER_TURN. */
const cachedIds = new Float64Array(STACKS_PER_TURN);
const cachedCounts = new Float64Array(STACKS_PER_TURN);

/**
 * A collection of at most STACKS_PER_TURN stacks, checked and packed as one
 * bucket straight from its map when `idOf` (the dictionary's cache) knows
 * every stack: no array of the body's size. Those arrays, held by a write
 * until lmdb ran its transaction among a thousand writes in flight, outlived
 * the young generation, and V8 then allocated every one in the old
 * generation. Undefined when some stack is not cached or every count is
 * zero (the write then takes the path that creates dictionary entries);
 * throws on an entry no write may hold.
 */
function packCachedCollection(stacks: StackCounts, idOf: (stack: string) => number | undefined): Buffer | undefined {
  let kept = 0;
  const allCached = forEachValidEntry(stacks, (stack, count) => {
    const id = idOf(stack);
    if (id === undefined) return false;
    cachedIds[kept] = id;
    cachedCounts[kept++] = count;
    return true;
  });
  // Each stack once, so each id once: packed with one sort, no summing.
  return allCached && kept > 0 ? packUnsorted(cachedIds.subarray(0, kept), cachedCounts.subarray(0, kept)) : undefined;
}

/** The stacks and counts of a large collection, checked STACKS_PER_TURN at a time with a turn of the event loop between. */
async function validCollection(stacks: StackCounts): Promise<Collection> {
  const collection: Collection = { stacks: [], counts: [] };
  let checked = 0;
  // Keys and values side by side, both read before a turn: the entries' iterator made an array per stack.
  const counts = stacks.values();
  for (const stack of stacks.keys()) {
    const count = counts.next().value;
    if (++checked % STACKS_PER_TURN === 0) await nextTurn();
    addValid(collection, stack, count);
  }
  return collection;
}

/** `ids` with their `counts` packed as one bucket, summed STACKS_PER_TURN at a time with a turn of the event loop between. */
async function packInTurns(ids: Uint32Array, counts: readonly number[]): Promise<Buffer> {
  const sums = new IdCounts();
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && i % STACKS_PER_TURN === 0) await nextTurn();
    sums.add(ids[i], counts[i]);
  }
  return sums.pack();
}

/**
 * The coarsest level whose every bucket lies inside one window of `step`
 * seconds from `from`: its period divides `step` and `from` starts one.
 */
function coarsestLevelWithin(from: number, step: number): number {
  let level = 0;
  while (level < COARSEST_LEVEL && step % LEVEL_SECONDS[level + 1] === 0 && from % LEVEL_SECONDS[level + 1] === 0) level++;
  return level;
}

function validRange(from: number, until: number): { start: number; end: number } {
  if (Number.isNaN(from) || Number.isNaN(until)) throw new RangeError('read: from and until must be numbers');
  return { start: Math.max(Math.ceil(from), 0), end: Math.min(Math.floor(until) + 1, MAX_TIME) };
}

class LmdbStackStore implements StackStore {
  private readonly dbs: StoreDatabases;
  private readonly dictionary: StackDictionary;
  private readonly clock: Clock;
  private readonly retentionSeconds: number;
  private readonly logger: Logger;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly committer: Committer;
  private readonly commit: Commit;
  /**
   * fleetRolledUntil as read in write transaction number `transaction` (see
   * Committer.transactions): every collection write checks it, three reads
   * that give the same answer to every write of a transaction unless
   * maintenance or a forget changes it, and their works forget it (see
   * commitFleetChanges).
   */
  private fleetRolled: { transaction: number; rolledUntil: number[] } | null = null;
  private readonly collection: CollectionDeps;
  private readonly collectionThreshold: CollectionThreshold;
  /** Reused by write transactions and maintenance, which never interleave (their callbacks are synchronous). */
  private readonly writeSums = new IdCounts();
  private readonly pendingWrites = new Set<Promise<unknown>>();
  /** See revision(): the last change numbered, a host's last write, and the last change to every host (forget). */
  private lastChange = 0;
  private readonly hostChanges = new Map<string, number>();
  private everyHostChange = 0;
  /** See hostsRevision(): hosts written or given a status since the store opened or last forgot one, and the last change to the set. */
  private readonly hostsSeen = new Set<string>();
  private hostsChange = 0;
  /** When maintenance last dropped the unused cached stacks (the open, at first). */
  private cacheAgedAt: number;
  private maintenance: Promise<void> = Promise.resolve();
  private maintaining = false;
  private closed = false;

  constructor(options: StackStoreOptions) {
    if (!(options.retentionSeconds > 0)) throw new Error('retentionSeconds must be positive');
    this.dbs = openDatabases(options.path);
    this.clock = options.clock ?? systemClock;
    this.retentionSeconds = options.retentionSeconds;
    this.cacheAgedAt = unixSeconds(this.clock);
    this.logger = options.logger ?? createLogger();
    this.committer = new Committer(this.dbs, this.logger, this.clock);
    this.commit = this.committer.commit;
    this.dictionary = new StackDictionary(this.dbs, this.commit, options.stackCacheChars);
    this.collectionThreshold = options.dictionaryCollection ?? DEFAULT_COLLECTION_THRESHOLD;
    this.collection = {
      dbs: this.dbs,
      dictionary: this.dictionary,
      commit: this.commit,
      settleWrites: () => Promise.allSettled([...this.pendingWrites]),
      stillOpen: () => !this.closed,
    };
    const interval = options.maintenanceIntervalMs ?? 10_000;
    if (interval > 0) {
      this.timer = setInterval(() => this.maintainInBackground(), interval);
      this.timer.unref();
    }
  }

  write(host: string, time: UnixSeconds, stacks: StackCounts): Promise<void> {
    try {
      this.assertOpen();
      checkHostAndTime(host, time);
    } catch (error) {
      return Promise.reject(error);
    }
    // Numbered once settled, before the caller hears of it: a read after that sees the counts it committed.
    return this.track(this.writeCollection(host, Math.floor(time), stacks), (committed) => {
      this.hostChanges.set(host, ++this.lastChange);
      this.hostSettled(host, committed);
    });
  }

  revision(host: string): number {
    return Math.max(this.hostChanges.get(host) ?? 0, this.everyHostChange);
  }

  hostsRevision(): number {
    return this.hostsChange;
  }

  /** `stored`, a status of `host`, changing hostsRevision() as it settles (see hostSettled). */
  private settlingHost<T>(host: string, stored: Promise<T>): Promise<T> {
    stored.then(
      () => this.hostSettled(host, true),
      () => this.hostSettled(host, false),
    );
    return stored;
  }

  /**
   * A write or status of `host` has settled: hostsRevision() changes unless
   * `host` was stored before, since the first since the open or a forget may
   * have added it to hosts(), and a failed one may have committed part of its
   * work. (A write calls this from its one reaction, see write and track.)
   */
  private hostSettled(host: string, committed: boolean): void {
    if (committed && this.hostsSeen.has(host)) return;
    if (committed) this.hostsSeen.add(host);
    this.hostsChange = ++this.lastChange;
  }

  private everyHostChanged(): void {
    this.hostChanges.clear();
    this.everyHostChange = ++this.lastChange;
    this.hostsSeen.clear();
    this.hostsChange = this.everyHostChange;
  }

  /**
   * Checks the counts, then merges them in one transaction: the samples
   * become visible all at once, or not at all. A small body's new dictionary
   * entries are created in that transaction too. A large one is prepared in
   * pieces with turns of the event loop between (it never holds the loop for
   * long): its new entries committed in small transactions of their own, its
   * counts packed as one bucket, so its transaction only merges and puts
   * bytes.
   */
  private writeCollection(host: string, second: number, stacks: StackCounts): Promise<void> {
    if (stacks.size > STACKS_PER_TURN) return this.writeLargeCollection(host, second, stacks);
    let collection: Collection;
    try {
      const packed = packCachedCollection(stacks, this.cachedIdOf);
      if (packed !== undefined) return this.commit(() => this.mergeCollection(host, second, packed));
      collection = validSmallCollection(stacks);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commitSmallCollection(host, second, collection);
  }

  private readonly cachedIdOf = (stack: string): number | undefined => this.dictionary.cachedIdOf(stack);

  /** Commits a collection of at most STACKS_PER_TURN stacks in one transaction, its new dictionary entries included; nothing when it has none (all its counts were zero). */
  private commitSmallCollection(host: string, second: number, collection: Collection): Promise<void> {
    if (collection.stacks.length === 0) return Promise.resolve();
    // Each stack once, so each id once: packed with one sort, no summing.
    return this.dictionary.commitWithIds(collection.stacks, (ids) => this.mergeCollection(host, second, packUnsorted(ids, collection.counts)));
  }

  private async writeLargeCollection(host: string, second: number, stacks: StackCounts): Promise<void> {
    const collection = await validCollection(stacks);
    if (collection.stacks.length <= STACKS_PER_TURN) return this.commitSmallCollection(host, second, collection);
    const ids = await this.dictionary.idsOf(collection.stacks);
    const packed = await packInTurns(ids, collection.counts);
    await this.commit(() => this.mergeCollection(host, second, packed));
  }

  /** Must run inside a write transaction: adds one collection, packed as a bucket, to its host's buckets and the fleet's. */
  private mergeCollection(host: string, second: number, packed: Buffer): void {
    const stored = this.dbs.rollups.get(host);
    if (stored === undefined) this.dbs.rollups.put(host, []);
    const rolledUntil = rolledUntilOf(stored);
    // A late write into rolled periods keeps their coarser buckets exact. A
    // rolled period without a bucket holds what its finer ones hold (see
    // forEachCoveringBucket), so this write's own second keeps it exact.
    for (let level = COARSEST_LEVEL; level >= 1; level--) {
      if (second < rolledUntil[level]) this.mergeBucket([host, level, periodStart(second, LEVEL_SECONDS[level])], packed, false);
    }
    this.mergeBucket([host, 0, second], packed, true);
    addToFleet(this.dbs, second, packed, this.writeSums, this.fleetRolledUntil());
  }

  /** The fleet's rolledUntil inside the current write transaction, read once per transaction. */
  private fleetRolledUntil(): number[] {
    const transaction = this.committer.transactions;
    if (this.fleetRolled?.transaction !== transaction) this.fleetRolled = { transaction, rolledUntil: fleetRolledUntil(this.dbs) };
    return this.fleetRolled.rolledUntil;
  }

  /** Commits a work that may change the fleet's rolledUntil (maintenance, forget): writes after it read it again, even in the same transaction. */
  private readonly commitFleetChanges: Commit = <T>(work: () => T): Promise<T> =>
    this.commit(() => {
      try {
        return work();
      } finally {
        this.fleetRolled = null;
      }
    });

  /** Adds `packed` to bucket `key`; creates it only when `create`. */
  private mergeBucket(key: CountsKey, packed: Buffer, create: boolean): void {
    // Read in place: summed before anything else is read.
    const existing = valueInPlace(this.dbs.counts, key);
    if (existing === undefined) {
      if (create) putBucket(this.dbs, key, packed);
      return;
    }
    const sums = this.writeSums;
    sums.clear();
    sums.addPacked(existing);
    sums.addPacked(packed);
    putBucket(this.dbs, key, sums.pack());
  }

  read(hosts: readonly string[], from: UnixSeconds, until: UnixSeconds): StackCounts {
    const result: StackCounts = new Map();
    this.readIds(hosts, from, until).forEach((id, count) => result.set(this.dictionary.stackOf(id), count));
    return result;
  }

  readIds(hosts: readonly string[], from: UnixSeconds, until: UnixSeconds): StackIdCounts {
    this.assertOpen();
    const { start, end } = validRange(Math.max(from, this.horizon()), until);
    const sums = new IdCounts();
    const addPacked = (packed: Uint8Array): void => sums.addPacked(packed);
    const readHosts = new Set(hosts);
    // Every host with samples: the middle of the range comes from fleet buckets, the edges host by host.
    const { fleet, rest } = this.readsEveryHost(readHosts) ? planFleetRead(this.dbs, start, end) : { fleet: [], rest: [[start, end]] };
    for (const piece of fleet) forEachFleetBucket(this.dbs, piece, addPacked);
    for (const host of readHosts) {
      const rolledUntil = this.rolledUntil(host);
      for (const [restStart, restEnd] of rest) {
        for (const piece of planRange(restStart, restEnd, rolledUntil)) forEachPackedBucket(this.dbs, host, piece.level, piece.start, piece.end, addPacked);
      }
    }
    return sums;
  }

  stackOfId(id: number): string {
    this.assertOpen();
    return this.dictionary.storedStackOf(id);
  }

  totals(hosts: readonly string[], from: UnixSeconds, step: number, steps: number): number[] {
    this.assertOpen();
    if (!Number.isSafeInteger(step) || step <= 0) throw new RangeError(`totals: step must be a positive integer, got ${step}`);
    if (!Number.isSafeInteger(steps) || steps < 0) throw new RangeError(`totals: steps must be a non-negative integer, got ${steps}`);
    const totals = new Array<number>(steps).fill(0);
    const { start, end } = validRange(Math.max(from, this.horizon()), from + steps * step - 1);
    if (start >= end) return totals;
    // The whole range in one plan, no coarser than a window: a scan per piece
    // rather than per window and piece (a 24 h timeline of 10 hosts made 1,470
    // lmdb ranges, each leaving objects the query worker's young generation
    // promoted: some 2 MB of old space per answer).
    const coarsest = coarsestLevelWithin(from, step);
    for (const host of new Set(hosts)) {
      // Levels above `coarsest` count as not rolled up, so the plan does not use them.
      const rolledUntil = this.rolledUntil(host).slice(0, coarsest + 1);
      const scan = totalsScan(this.dbs, host);
      for (const piece of planRange(start, end, rolledUntil)) {
        forEachCoveringBucket(scan, piece.level, piece.start, piece.end, (bucketStart, total) => {
          const window = Math.floor((bucketStart - from) / step);
          // A fractional `from` leaves the last fraction of a second of each window in none.
          if (bucketStart <= from + (window + 1) * step - 1) totals[window] += total;
        });
      }
    }
    return totals;
  }

  private readsEveryHost(hosts: ReadonlySet<string>): boolean {
    for (const host of this.dbs.rollups.getKeys()) if (!hosts.has(host)) return false;
    return true;
  }

  private rolledUntil(host: string): number[] {
    return rolledUntilOf(this.dbs.rollups.get(host));
  }

  firstTime(hosts: readonly string[]): UnixSeconds | null {
    this.assertOpen();
    const horizon = Math.max(Math.ceil(this.horizon()), 0);
    let first: number | null = null;
    for (const host of new Set(hosts)) {
      // Every sample inside retention is still in its level-0 bucket, and every bucket holds samples.
      const start = firstBucketStart(this.dbs, host, 0, horizon, MAX_TIME);
      if (start !== undefined && (first === null || start < first)) first = start;
    }
    return first;
  }

  /**
   * Where the samples reads see begin: retention keeps the last
   * `retentionSeconds`, and never less than maintenance already deleted.
   */
  private horizon(): number {
    return Math.max(unixSeconds(this.clock) - this.retentionSeconds, expiredBefore(this.dbs));
  }

  sampleTimes(host: string, until: UnixSeconds, limit: number): UnixSeconds[] {
    this.assertOpen();
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`sampleTimes: limit must be a non-negative integer, got ${limit}`);
    // Level 0 keeps every collection's second for as long as retention keeps any of its samples.
    const { end } = validRange(0, until);
    const newestFirst = { start: [host, 0, end - 1] as CountsKey, end: [host, 0, -1] as CountsKey, reverse: true, limit };
    return Array.from(this.dbs.totals.getKeys(newestFirst), (key) => key[2]);
  }

  sampleSpan(hosts: readonly string[], from: UnixSeconds, until: UnixSeconds): { first: UnixSeconds; last: UnixSeconds } | null {
    this.assertOpen();
    const { start, end } = validRange(Math.max(from, this.horizon()), until);
    let span: { first: UnixSeconds; last: UnixSeconds } | null = null;
    if (start >= end) return span;
    for (const host of new Set(hosts)) {
      // As firstTime: every sample inside retention is in its level-0 bucket, and every bucket holds samples.
      const first = firstBucketStart(this.dbs, host, 0, start, end);
      if (first === undefined) continue;
      const last = lastBucketStart(this.dbs, host, 0, start, end) ?? first;
      span = span === null ? { first, last } : { first: Math.min(span.first, first), last: Math.max(span.last, last) };
    }
    return span;
  }

  readLatest(): void {
    this.assertOpen();
    this.dbs.env.resetReadTxn();
  }

  hosts(): string[] {
    this.assertOpen();
    const hosts = new Set<string>(this.dbs.rollups.getKeys());
    for (const host of this.dbs.hosts.getKeys()) hosts.add(host);
    return [...hosts].sort();
  }

  status(host: string): HostStatus {
    this.assertOpen();
    const stored = this.dbs.hosts.get(host);
    return { lastSuccess: stored?.lastSuccess ?? null, lastError: stored?.lastError ?? null };
  }

  recordSuccess(host: string, time: UnixSeconds): Promise<void> {
    return this.updateStatus(host, (status) => ({ ...status, lastSuccess: time }));
  }

  recordError(host: string, time: UnixSeconds, reason: string): Promise<void> {
    return this.updateStatus(host, (status) => ({ ...status, lastError: { time, reason } }));
  }

  forget(host: string): Promise<ForgottenHost> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(forgetHost(this.dbs, this.commitFleetChanges, host).finally(() => this.everyHostChanged()));
  }

  private updateStatus(host: string, update: (status: HostStatus) => HostStatus): Promise<void> {
    const stored = this.commitTracked(() => {
      this.dbs.hosts.put(host, update(this.status(host)));
    });
    return this.settlingHost(host, stored);
  }

  /** One small write transaction that close() waits for. */
  private commitTracked(work: () => void): Promise<void> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(this.commit(work));
  }

  checkHealth(): Promise<void> {
    return this.commitTracked(() => {
      const checks = this.dbs.meta.get(HEALTH_CHECKS_KEY) ?? 0;
      this.dbs.meta.put(HEALTH_CHECKS_KEY, checks + 1);
    });
  }

  maintain(): Promise<void> {
    const run = this.maintenance.catch(() => undefined).then(() => this.runMaintenance());
    this.maintenance = run;
    return run;
  }

  private maintainInBackground(): void {
    if (this.maintaining) return;
    this.maintain().catch((error: unknown) => {
      // A failed commit was logged where it failed, once per kind.
      if (!(error instanceof StoreWriteError)) this.logger.error({ err: error }, 'store maintenance failed');
    });
  }

  private async runMaintenance(): Promise<void> {
    if (this.closed) return;
    this.maintaining = true;
    try {
      const now = unixSeconds(this.clock);
      const cutoff = now - this.retentionSeconds;
      await maintainHosts(this.dbs, this.commit, [...this.dbs.rollups.getKeys()], now, cutoff, this.writeSums);
      await maintainFleet(this.commitFleetChanges, this.dbs, now, cutoff, this.writeSums, WORK_PER_TRANSACTION);
      if (now - this.cacheAgedAt >= CACHE_AGING_SECONDS) {
        await this.dictionary.evictUnusedFromCache();
        this.cacheAgedAt = now;
      }
      if (collectionDue(this.collection, this.collectionThreshold)) {
        const collected = await collectDictionary(this.collection);
        if (collected !== null) this.logger.info(collected, 'stack dictionary collected');
      }
      // What the writes and this maintenance left behind: the writer thread's heap, collected once it has grown well past what is live.
      const heap = collectIfHeapGrew();
      if (heap !== null) this.logger.debug(heap, 'store maintenance collected the heap');
    } finally {
      // Not a change to what reads answer: they are exact across rollups and never look before the horizon, deleted or not.
      this.maintaining = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.pendingWrites, this.maintenance]);
    await this.committer.whenWritersDone();
    await this.dbs.env.close();
  }

  /** Makes close() wait for `promise`; `settled` runs once it settles (told whether it was fulfilled), before the reactions its callers add to it. */
  private track<T>(promise: Promise<T>, settled?: (committed: boolean) => void): Promise<T> {
    this.pendingWrites.add(promise);
    promise.then(
      () => {
        this.pendingWrites.delete(promise);
        settled?.(true);
      },
      () => {
        this.pendingWrites.delete(promise);
        settled?.(false);
      },
    );
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the stack store is closed');
  }
}
