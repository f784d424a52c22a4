import express, { type Router } from 'express';
import { unixSeconds, type Clock } from '../clock.js';
import { HttpError } from '../http-error.js';
import type { Logger } from '../log.js';
import { carriesSecret, sha256 } from '../profiler-token.js';
import type { StackStore } from '../store/stack-store.js';
import type { Collector } from './collector.js';
import { MAX_FUTURE_SECONDS } from './pyroscope-push.js';
import { storePyroscopePush } from './pyroscope-route.js';
import { storeSamplesBody } from './store-samples.js';

export interface CollectorRouteDeps {
  collector: Collector;
  store: StackStore;
  log: Logger;
  clock: Clock;
  secret: string;
  maxBodyBytes: number;
}

export function collectorRoutes(deps: CollectorRouteDeps): Router {
  const router = express.Router();
  const secretDigest = sha256(deps.secret);

  router.get('/collector/', async (_req, res) => {
    res.json(await deps.collector.collect());
  });

  router.post('/ingest', express.raw({ type: () => true, limit: deps.maxBodyBytes }), async (req, res) => {
    if (!carriesSecret(req.headers, secretDigest)) throw new HttpError(403, 'wrong or missing Profiler-Token');
    // Pyroscope's agents push with `name` where our samplers give `host`.
    if (req.query.name !== undefined) return storePyroscopePush(deps, req, res);
    const host = ingestHost(req.query.host);
    const time = ingestTime(req.query.time, unixSeconds(deps.clock));
    const report = await storeSamplesBody(deps, host, time, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    res.status(report.error === null ? 200 : 400).json(report);
  });

  return router;
}

function ingestHost(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, 'host: required, the name to store the samples under');
  if (value === '_all') throw new HttpError(400, 'host: "_all" is reserved for all hosts merged');
  if (value.length > 200) throw new HttpError(400, 'host: longer than 200 characters');
  return value;
}

function ingestTime(value: unknown, now: number): number {
  if (value === undefined) return now;
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) {
    throw new HttpError(400, `time: cannot read ${JSON.stringify(value)}: expected Unix seconds`);
  }
  const time = Math.floor(Number(value));
  if (time > now + MAX_FUTURE_SECONDS) throw new HttpError(400, `time: ${time} is more than ${MAX_FUTURE_SECONDS} s in the future`);
  return time;
}
