import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import type { Logger } from '../log.js';
import { StoreWriteError, type StackStore } from '../store/stack-store.js';

export interface ForgetRouteDeps {
  store: StackStore;
  /** Host names (labels) from the config: those are never forgotten, the collector would bring them back. */
  configuredHosts: readonly string[];
  log: Logger;
}

/**
 * `DELETE /hosts/:host` (behind the secret check): deletes every sample of a
 * host that is not configured, a typo in a push or a removed host, and
 * answers what went. 409 for a configured host, 404 for an unknown one.
 */
export function forgetHostRoute({ store, configuredHosts, log }: ForgetRouteDeps): RequestHandler {
  return async (req, res) => {
    const host = String(req.params.host);
    if (configuredHosts.includes(host)) {
      throw new HttpError(409, `${host} is in [collector] hosts, and the collector would bring it back: remove it from the config first`);
    }
    if (!store.hosts().includes(host)) throw new HttpError(404, `unknown host: ${host}`);
    try {
      const forgotten = await store.forget(host);
      log.info({ host, ...forgotten }, 'host forgotten');
      res.json({ host, ...forgotten });
    } catch (error) {
      if (!(error instanceof StoreWriteError)) throw error;
      // As /ingest answers: 507 while the disk is full (deleting needs pages too), 503 for any other failed commit.
      throw new HttpError(error.outOfSpace ? 507 : 503, `could not forget ${host}, some of its samples may be left: ${error.message}`);
    }
  };
}
