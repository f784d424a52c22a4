import type { Logger } from '../log.js';
import { totalSamples } from '../profile/stack-counts.js';
import { StoreWriteError, type StackStore, type UnixSeconds } from '../store/stack-store.js';
import { BodyFormatError } from './formats/parsed-samples.js';
import { parseSamplesBody } from './formats/parse-samples-body.js';
import { failedReport, type HostReport } from './host-report.js';

export interface StoreSamplesDeps {
  store: StackStore;
  log: Logger;
  /** Distinct stacks one body may hold ([collector] max_stacks). */
  maxStacks: number;
}

/**
 * Why a body was not stored: the body's fault ('body', a 4xx for a push) or
 * the server's ('no space' when the disk is full, else 'store': a 5xx).
 */
export type StoreFailure = 'body' | 'no space' | 'store';

export interface StoredSamples {
  report: HostReport;
  failure: StoreFailure | null;
}

/**
 * Parses one host's body and stores it in one transaction: the path shared by
 * pull and push. Every failure is logged (a failed store write once per kind,
 * by the store), recorded for the index page when the store can, and
 * reported; nothing partial is ever stored.
 */
export async function storeSamples(deps: StoreSamplesDeps, host: string, time: UnixSeconds, body: Uint8Array): Promise<StoredSamples> {
  let parsed;
  try {
    parsed = parseSamplesBody(body, { maxStacks: deps.maxStacks });
  } catch (error) {
    if (!(error instanceof BodyFormatError)) throw error;
    return { report: await recordFailure(deps, host, time, error.message), failure: 'body' };
  }
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

/** storeSamples for a collection, which reports the outcome and nothing else. */
export async function storeSamplesBody(deps: StoreSamplesDeps, host: string, time: UnixSeconds, body: Uint8Array): Promise<HostReport> {
  return (await storeSamples(deps, host, time, body)).report;
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
