import { formatDuration } from '../config/units.js';
import { HttpError } from '../http-error.js';
import type { UnixSeconds } from '../store/stack-store.js';

/** Pushed samples may be stamped a little ahead, for clock skew, but no more. */
const MAX_FUTURE_SECONDS = 300;

/**
 * The time a push stamps its samples with, checked: never far ahead, and
 * never before retention (maintenance would delete such samples unseen, so
 * the client is told instead). `parameter` names the query parameter in the 4xx.
 */
export function checkPushTime(parameter: string, time: UnixSeconds, now: UnixSeconds, retentionSeconds: number): UnixSeconds {
  if (time > now + MAX_FUTURE_SECONDS) throw new HttpError(400, `${parameter}: ${time} is more than ${MAX_FUTURE_SECONDS} s in the future`);
  if (time < now - retentionSeconds) {
    throw new HttpError(
      422,
      `${parameter}: ${time} is older than the retention ([global] retention = ${formatDuration(retentionSeconds)}): samples before ${now - retentionSeconds} are not kept`,
    );
  }
  return time;
}
