import express, { type Router } from 'express';
import { HttpError } from '../http-error.js';

const REASON =
  'this server does not collect ([collector] enabled = 0): it shows what another liveprofiler process stores in the same dbpath';

/**
 * `/collector/`, `/ingest` and forgetting a host on a read-only visualizer: refused with the
 * reason (before any body is read), so a misdirected cron or push says why.
 */
export function collectorDisabledRoutes(): Router {
  const router = express.Router();
  const refuse = (): never => {
    throw new HttpError(403, REASON);
  };
  router.get('/collector/', refuse);
  router.post('/ingest', (_req, res) => {
    res.setHeader('Connection', 'close');
    refuse();
  });
  router.delete('/hosts/:host', (_req, res) => {
    res.setHeader('Connection', 'close');
    refuse();
  });
  return router;
}
