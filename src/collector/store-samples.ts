import type { Logger } from '../log.js';
import { totalSamples } from '../profile/stack-counts.js';
import { StoreWriteError, type StackStore, type UnixSeconds } from '../store/stack-store.js';
import { BodyFormatError, type ParsedSamples } from './formats/parsed-samples.js';
import { samplesBodySteps } from './formats/parse-samples-body.js';
import { runInTurns } from './formats/parse-steps.js';
import { failedReport, type HostReport } from './host-report.js';
import { TurnQueue } from './turn-queue.js';

export interface StoreSamplesDeps {
  store: StackStore;
  log: Logger;
  /** Distinct stacks one body may hold ([collector] max_stacks). */
  maxStacks: number;
  /** A gzipped body never inflates past this. */
  maxBodyBytes: number;
}

/**
 * Why a body was not stored: the body's fault ('body', a 4xx for a push) or
 * the server's ('no space' when the disk is full, else 'store': a 5xx).
 */
export type StoreFailure = 'body' | 'no space' | 'store';

/** A push the server could not store is the server's failure: a 5xx, which a client may retry. */
export const PUSH_STATUS: Record<StoreFailure | 'stored', number> = { stored: 200, body: 400, 'no space': 507, store: 503 };

export interface StoredSamples {
  report: HostReport;
  failure: StoreFailure | null;
}

/**
 * Parses one host's body and stores it in one transaction: the path shared by
 * pull and push. Every failure is logged (a failed store write once per kind,
 * by the store), recorded for the index page when the store can, and
 * reported; nothing partial is ever stored. When `latestProfileTime` is given
 * (pulls), a body that says when it was profiled (pprof) is stamped with the
 * end of its window instead of `time`, if that is no later.
 */
export async function storeSamples(
  deps: StoreSamplesDeps,
  host: string,
  time: UnixSeconds,
  body: Uint8Array,
  latestProfileTime?: UnixSeconds,
): Promise<StoredSamples> {
  let parsed;
  try {
    parsed = await runInTurns(samplesBodySteps(body, { maxStacks: deps.maxStacks, maxInflatedBytes: deps.maxBodyBytes }));
  } catch (error) {
    if (!(error instanceof BodyFormatError)) throw error;
    return { report: await recordFailure(deps, host, time, error.message), failure: 'body' };
  }
  const profiledUntil = parsed.profiledUntil;
  const stamp = latestProfileTime !== undefined && profiledUntil !== null && profiledUntil <= latestProfileTime ? profiledUntil : time;
  return storeParsedSamples(deps, host, stamp, parsed);
}

/** Collected bodies are parsed and stored one per turn of the event loop. */
const collectedBodyTurns = new TurnQueue();

/** storeSamples for a collection, which reports the outcome and nothing else. */
export async function storeSamplesBody(
  deps: StoreSamplesDeps,
  host: string,
  time: UnixSeconds,
  body: Uint8Array,
  latestProfileTime?: UnixSeconds,
): Promise<HostReport> {
  await collectedBodyTurns.next();
  return (await storeSamples(deps, host, time, body, latestProfileTime)).report;
}

/** Stores samples already parsed, in one transaction, and reports them like a collected host. */
export async function storeParsedSamples(deps: StoreSamplesDeps, host: string, time: UnixSeconds, parsed: ParsedSamples): Promise<StoredSamples> {
  try {
    await deps.store.write(host, time, parsed.stacks);
  } catch (error) {
    const reason = `store write failed: ${(error as Error).message}`;
    const logged = error instanceof StoreWriteError;
    const failure = logged && error.outOfSpace ? 'no space' : 'store';
    return { report: await recordFailure(deps, host, time, reason, logged), failure };
  }
  try {
    await deps.store.recordSuccess(host, time);
  } catch (error) {
    // The samples are stored: reporting a failure would make a pushing client send them twice.
    if (!(error instanceof StoreWriteError)) deps.log.error({ host, err: error }, 'could not record the success');
  }
  const report: HostReport = {
    host,
    entries: parsed.entries,
    stacks: parsed.stacks.size,
    samples: totalSamples(parsed.stacks),
    skipped: parsed.skipped,
    skipped_reasons: parsed.skippedReasons,
    error: null,
  };
  if (report.skipped > 0) deps.log.warn({ host, skipped: report.skipped, reasons: report.skipped_reasons }, 'skipped bad entries');
  return { report, failure: null };
}

/**
 * Logs (unless `logged`: the store logs its own failed commits, once per
 * kind), records and reports a host's failure: the one place all of that happens.
 */
export async function recordFailure(deps: StoreSamplesDeps, host: string, time: UnixSeconds, reason: string, logged = false): Promise<HostReport> {
  if (!logged) deps.log.warn({ host, reason }, 'collection failed');
  try {
    await deps.store.recordError(host, time, reason);
  } catch (error) {
    if (!(error instanceof StoreWriteError)) deps.log.error({ host, err: error }, 'could not record the failure');
  }
  return failedReport(host, reason);
}
