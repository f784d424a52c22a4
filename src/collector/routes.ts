import express, { type Router } from 'express';
import { unixSeconds, type Clock } from '../clock.js';
import { hostNameProblem } from '../host-name.js';
import { HttpError } from '../http-error.js';
import { preallocatedBody } from '../http/preallocated-body.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../operability/metrics.js';
import { sha256 } from '../profiler-token.js';
import type { StackStore } from '../store/stack-store.js';
import type { Collector } from './collector.js';
import { forgetHostRoute } from './forget-route.js';
import { checkPushTime } from './push-time.js';
import { storePyroscopePush } from './pyroscope-route.js';
import { refuseWithoutSecret } from './secret-check.js';
import { PUSH_STATUS, storeSamples } from './store-samples.js';

export interface CollectorRouteDeps {
  collector: Collector;
  store: StackStore;
  log: Logger;
  clock: Clock;
  secret: string;
  maxBodyBytes: number;
  /** Pushes stamped before now - retention are refused: maintenance would delete them unseen. */
  retentionSeconds: number;
  maxStacks: number;
  metrics: Metrics;
  /** Host names (labels) from the config, which DELETE /hosts/:host refuses to forget. */
  configuredHosts: readonly string[];
}

export function collectorRoutes(deps: CollectorRouteDeps): Router {
  const router = express.Router();
  const secretDigest = sha256(deps.secret);

  router.get('/collector/', async (_req, res) => {
    res.json(await deps.collector.collect());
  });

  // The secret is checked from the headers before the body is read (or inflated): a stranger costs nothing.
  const secretCheck = refuseWithoutSecret(secretDigest);

  router.post('/ingest', secretCheck, preallocatedBody(deps.maxBodyBytes), express.raw({ type: () => true, limit: deps.maxBodyBytes }), async (req, res) => {
    // Pyroscope's agents push with `name` where our samplers give `host`.
    if (req.query.name !== undefined) return storePyroscopePush(deps, req, res);
    const host = ingestHost(req.query.host);
    const time = ingestTime(req.query.time, unixSeconds(deps.clock), deps.retentionSeconds);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { report, failure } = await storeSamples(deps, host, time, body);
    if (failure === null) deps.metrics.ingested('push', report.samples, body.length);
    res.status(PUSH_STATUS[failure ?? 'stored']).json(report);
  });

  router.delete('/hosts/:host', secretCheck, forgetHostRoute(deps));

  return router;
}

function ingestHost(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, 'host: required, the name to store the samples under');
  const problem = hostNameProblem(value);
  if (problem !== null) throw new HttpError(400, `host: the name ${problem}`);
  return value;
}

function ingestTime(value: unknown, now: number, retentionSeconds: number): number {
  if (value === undefined) return now;
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) {
    throw new HttpError(400, `time: cannot read ${JSON.stringify(value)}: expected Unix seconds`);
  }
  return checkPushTime('time', Math.floor(Number(value)), now, retentionSeconds);
}
