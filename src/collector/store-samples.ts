import type { Logger } from '../log.js';
import { totalSamples } from '../profile/stack-counts.js';
import type { StackStore, UnixSeconds } from '../store/stack-store.js';
import { BodyFormatError, type ParsedSamples } from './formats/parsed-samples.js';
import { parseSamplesBody } from './formats/parse-samples-body.js';
import { failedReport, type HostReport } from './host-report.js';

export interface StoreSamplesDeps {
  store: StackStore;
  log: Logger;
  /** A gzipped body never inflates past this. */
  maxBodyBytes: number;
}

/**
 * Parses one host's body and stores it in one transaction: the path shared by
 * pull and push. Every failure is logged once here, recorded for the index
 * page, and reported; nothing partial is ever stored. When `latestProfileTime`
 * is given (pulls), a body that says when it was profiled (pprof) is stamped
 * with the end of its window instead of `time`, if that is no later.
 */
export async function storeSamplesBody(
  deps: StoreSamplesDeps,
  host: string,
  time: UnixSeconds,
  body: Uint8Array,
  latestProfileTime?: UnixSeconds,
): Promise<HostReport> {
  let parsed;
  try {
    parsed = parseSamplesBody(body, deps.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyFormatError)) throw error;
    return recordFailure(deps, host, time, error.message);
  }
  const profiledUntil = parsed.profiledUntil;
  const stamp = latestProfileTime !== undefined && profiledUntil !== null && profiledUntil <= latestProfileTime ? profiledUntil : time;
  return storeParsedSamples(deps, host, stamp, parsed);
}

/** Stores samples already parsed, in one transaction, and reports them like a collected host. */
export async function storeParsedSamples(deps: StoreSamplesDeps, host: string, time: UnixSeconds, parsed: ParsedSamples): Promise<HostReport> {
  try {
    await deps.store.write(host, time, parsed.stacks);
    await deps.store.recordSuccess(host, time);
  } catch (error) {
    return recordFailure(deps, host, time, `could not store the samples: ${(error as Error).message}`);
  }
  const report: HostReport = {
    host,
    entries: parsed.entries,
    stacks: parsed.stacks.size,
    samples: totalSamples(parsed.stacks),
    skipped: parsed.skipped,
    error: null,
  };
  if (report.skipped > 0) deps.log.warn({ host, skipped: report.skipped }, 'skipped bad entries');
  return report;
}

/** Logs, records and reports a host's failure: the one place all of that happens. */
export async function recordFailure(deps: StoreSamplesDeps, host: string, time: UnixSeconds, reason: string): Promise<HostReport> {
  deps.log.warn({ host, reason }, 'collection failed');
  try {
    await deps.store.recordError(host, time, reason);
  } catch (error) {
    deps.log.error({ host, err: error }, 'could not record the failure');
  }
  return failedReport(host, reason);
}
