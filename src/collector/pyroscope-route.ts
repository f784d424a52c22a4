import type { Request, Response } from 'express';
import { unixSeconds, type Clock } from '../clock.js';
import { HttpError } from '../http-error.js';
import type { Metrics } from '../operability/metrics.js';
import { BodyFormatError } from './formats/parsed-samples.js';
import { runInTurns } from './formats/parse-steps.js';
import { readPyroscopeBody, readPyroscopePush } from './pyroscope-push.js';
import { PUSH_STATUS, storeParsedSamples, type StoreSamplesDeps } from './store-samples.js';

/**
 * Answers a Pyroscope push (secret already checked, body already read and
 * capped): parameters, then body, then one atomic write per series (a
 * profile holding CPU and wall time writes two), answered with a report per
 * series like a collected host's. A body that cannot be read is refused with
 * its reason and recorded nowhere: without a readable profile there is no
 * series to blame.
 */
export async function storePyroscopePush(deps: StoreSamplesDeps & { clock: Clock; retentionSeconds: number; metrics: Metrics }, req: Request, res: Response): Promise<void> {
  const push = readPyroscopePush(req.query, unixSeconds(deps.clock), deps.retentionSeconds);
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let read;
  try {
    read = await runInTurns(readPyroscopeBody(push, body, req.headers['content-type'], { maxStacks: deps.maxStacks, maxInflatedBytes: deps.maxBodyBytes }));
  } catch (error) {
    if (error instanceof BodyFormatError) throw new HttpError(400, error.message);
    throw error;
  }
  const stored = [];
  for (const { series, parsed } of read) stored.push(await storeParsedSamples(deps, series, push.until, parsed));
  const failure = stored.find((one) => one.failure !== null)?.failure ?? null;
  if (failure === null) deps.metrics.ingested('push', stored.reduce((sum, one) => sum + one.report.samples, 0), body.length);
  res.status(PUSH_STATUS[failure ?? 'stored']).json(stored.map((one) => one.report));
}
